import {spawn, spawnSync} from 'node:child_process';
import {randomBytes, X509Certificate} from 'node:crypto';
import {writeFileSync, mkdtempSync} from 'node:fs';
import {connect as connectTcp} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {connect as connectTls} from 'node:tls';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {configFromFlags} from '../../source/config.js';
import {TcpClient} from '../../source/net/tcp-client.js';
import {runCliBytes} from '../helpers/cli.js';
import {EventLog} from '../helpers/collect.js';
import {startTestServer, type TestServer} from '../helpers/server.js';
import {readToEnd} from '../helpers/tcp-peer-server.js';
import {startTlsServer, testCertificate} from '../helpers/tls-server.js';

const closers: Array<() => Promise<void>> = [];
let server: TestServer | undefined;
afterEach(async () => {
	for (const close of closers.splice(0)) {
		await close();
	}

	await server?.engine.stop();
	server = undefined;
});

function client(tlsClient: {insecure: boolean; ca?: string}) {
	const bus = new EventBus();
	const log = new EventLog(bus);
	return {log, client: new TcpClient(bus, {...configFromFlags({}), tlsClient})};
}

describe('connect tls://', () => {
	it('speaks TLS (SNI for a name), verified against --ca, and says what a learner wants to see of the session', async () => {
		let servername: string | false | null | undefined;
		const tls = await startTlsServer(socket => {
			servername = socket.servername;
			socket.on('data', data => socket.write(Buffer.concat([Buffer.from('echo: '), data])));
		});
		closers.push(tls.close);
		const {log, client: dialer} = client({insecure: false, ca: tls.cert});
		expect(await dialer.connect({host: 'localhost', port: tls.port, tls: true})).toBe('connected');
		const connected = await log.waitFor('client.state', event => event.state === 'connected');
		expect(connected.tls).toMatchObject({authorized: true, protocol: expect.stringMatching(/^TLSv1\.[23]$/), subject: expect.stringContaining('CN=localhost'), fingerprint256: new X509Certificate(tls.cert).fingerprint256});
		expect(connected.tls!.handshakeMs).toBeGreaterThan(0);
		dialer.send('hi');
		expect((await log.waitFor('client.received')).text).toBe('echo: hi');
		expect(servername).toBe('localhost');
		dialer.disconnect();
	});

	it('refuses a certificate that does not verify with one line naming --ca and --insecure, and takes it with --insecure', async () => {
		const tls = await startTlsServer(socket => {
			socket.end('secret\n');
		});
		closers.push(tls.close);
		const strict = client({insecure: false});
		expect(await strict.client.connect({host: '127.0.0.1', port: tls.port, tls: true})).toBe('error');
		const failed = await strict.log.waitFor('client.state', event => event.state === 'error');
		expect(failed.reason).toMatch(/^TLS with 127\.0\.0\.1:\d+ failed: self-signed certificate \(.*--ca FILE, or add --insecure for a test server\)$/);
		const lax = client({insecure: true});
		expect(await lax.client.connect({host: '127.0.0.1', port: tls.port, tls: true})).toBe('connected');
		expect((await lax.log.waitFor('client.received')).text).toBe('secret');
	});

	it('is nc over TLS when piped: stdin to the server, the answer to stdout, byte-exact', async () => {
		const tls = await startTlsServer(socket => {
			void readToEnd(socket).then(received => socket.end(Buffer.concat([Buffer.from([0xFF, 0]), received])));
		});
		closers.push(tls.close);
		const dir = mkdtempSync(join(tmpdir(), 'socket-tui-ca-'));
		writeFileSync(join(dir, 'ca.pem'), tls.cert);
		const {code, stdout} = await runCliBytes(['connect', `tls://localhost:${tls.port}`, '--ca', join(dir, 'ca.pem')], Buffer.from([1, 2, 3, 0x0A]));
		expect(code).toBe(0);
		expect(stdout).toEqual(Buffer.from([0xFF, 0, 1, 2, 3, 0x0A]));
	});
});

describe('serve --tls', () => {
	it('makes a self-signed certificate for localhost at start, says its fingerprint, and greets a TLS client', async () => {
		server = await startTestServer({tlsServer: 'generate'});
		const announced = await server.log.waitFor('server.tls');
		expect(announced.generated).toBe(true);
		const socket = connectTls({port: server.port, host: '127.0.0.1', servername: 'localhost', rejectUnauthorized: false});
		const got = readToEnd(socket);
		await new Promise(resolve => socket.once('secureConnect', resolve));
		expect(socket.getPeerX509Certificate()!.fingerprint256).toBe(announced.fingerprint256);
		socket.write('Michael\n');
		socket.end('exit\n');
		expect((await got).toString()).toBe('Welcome!\nHello, Michael!\n');
		expect(server.log.of('conn.open')[0]!.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
	});

	it('uses --cert/--key when given, and a client that does not speak TLS is a row closed with the reason', async () => {
		const {cert, key} = await testCertificate();
		server = await startTestServer({tlsServer: {cert, key}});
		expect((await server.log.waitFor('server.tls')).generated).toBe(false);
		const plain = connectTcp({port: server.port, host: '127.0.0.1'});
		plain.on('error', () => undefined);
		plain.write('GET / HTTP/1.0\r\n\r\n');
		const close = await server.log.waitFor('conn.close');
		expect(close.reason).toBe('tls-error');
		expect(server.log.of('conn.warning')[0]!.detail).toMatch(/^TLS handshake failed: .*(did not speak TLS|http request)/i);
	});

	it('survives 1,000 random byte strings sent as ClientHellos, and keeps serving a real client meanwhile', async () => {
		server = await startTestServer({tlsServer: 'generate'});
		await server.log.waitFor('server.tls');
		const {port} = server;
		for (let round = 0; round < 1000; round += 100) {
			await Promise.all(Array.from({length: 100}, async () => new Promise<void>(resolve => {
				const socket = connectTcp({port, host: '127.0.0.1'});
				socket.on('error', () => undefined);
				socket.once('close', () => resolve());
				socket.resume(); // The server's alert is read, so the close is seen.
				// Half of them start like a TLS record (0x16 0x03 0x01), with garbage after.
				const noise = randomBytes(1 + Math.floor(Math.random() * 600));
				socket.end(Math.random() < 0.5 ? Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), noise]) : noise);
			})));
		}

		const socket = connectTls({port, host: '127.0.0.1', rejectUnauthorized: false});
		const got = readToEnd(socket);
		socket.end('exit\n');
		expect((await got).toString()).toBe('Welcome!\n');
		await server.log.waitForCount('conn.close', 1001);
		expect(server.engine.server!.openCount).toBe(0);
	}, 60_000);

	it.skipIf(spawnSync('openssl', ['version']).status !== 0)('answers openssl s_client -quiet: Welcome!, then Hello', async () => {
		server = await startTestServer({tlsServer: 'generate'});
		await server.log.waitFor('server.tls');
		// Async: the server runs in this process.
		const child = spawn('openssl', ['s_client', '-quiet', '-connect', `127.0.0.1:${server.port}`, '-servername', 'localhost'], {stdio: ['pipe', 'pipe', 'ignore']});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		child.stdin.end('Tracy\nexit\n');
		await new Promise(resolve => child.once('close', resolve));
		expect(output).toBe('Welcome!\nHello, Tracy!\n');
	});
});

describe('relay --tls', () => {
	it('takes TLS from the client and passes its plaintext to a plain upstream; a failed handshake is a close with the reason', async () => {
		const {startPeerServer} = await import('../helpers/tcp-peer-server.js');
		const {relayDefaults, TcpRelay} = await import('../../source/net/tcp-relay.js');
		const upstream = await startPeerServer(socket => {
			void readToEnd(socket).then(received => socket.end(Buffer.concat([Buffer.from('plain: '), received])));
		});
		closers.push(upstream.close);
		const bus = new EventBus();
		const log = new EventLog(bus);
		const relay = new TcpRelay(bus, {host: '127.0.0.1', port: 0, backlog: 511, upstream: {host: '127.0.0.1', port: upstream.port}, connectTimeoutMs: 2000, maxClients: 10, idleTimeoutMs: 0, captureBytes: Number.POSITIVE_INFINITY, ...relayDefaults, clientTls: await testCertificate()});
		closers.push(async () => relay.close());
		const {port} = await relay.listen();
		const socket = connectTls({port, host: '127.0.0.1', rejectUnauthorized: false});
		const got = readToEnd(socket);
		await new Promise(resolve => socket.once('secureConnect', resolve));
		socket.end('secret words\n');
		expect((await got).toString()).toBe('plain: secret words\n');
		expect((await log.waitFor('relay.data', event => event.from === 'client')).text).toBe('secret words\n');

		const plain = connectTcp({port, host: '127.0.0.1'});
		plain.on('error', () => undefined);
		plain.resume();
		plain.end('not TLS\n');
		const failed = await log.waitFor('relay.close', event => event.reason === 'tls-error');
		expect(failed.error).toMatch(/the client's TLS handshake failed/);
	});
});

describe('TLS, checked the way openssl and curl check it', () => {
	it('verifies tls://IP against the certificate\'s IP names, not "localhost"', async () => {
		const {generate} = await import('selfsigned');
		const make = async (altNames: Array<{type: 2 | 7; value?: string; ip?: string}>) => {
			const pems = await generate([{name: 'commonName', value: 'test'}], {keyType: 'ec', curve: 'P-256', extensions: [{name: 'subjectAltName', altNames}]});
			return {cert: pems.cert, key: pems.private};
		};

		const {createServer: createTlsServer} = await import('node:tls');
		for (const [pair, host, expected] of [[await make([{type: 7, ip: '127.0.0.1'}]), '127.0.0.1', 'connected'], [await make([{type: 2, value: 'localhost'}]), '127.0.0.1', 'error']] as const) {
			const tlsServer = createTlsServer(pair, socket => socket.end('hi\n'));
			await new Promise<void>(resolve => {
				tlsServer.listen(0, '127.0.0.1', resolve);
			});
			closers.push(async () => new Promise<void>(resolve => {
				tlsServer.close(() => resolve());
			}));
			const {log, client: dialer} = client({insecure: false, ca: pair.cert});
			expect(await dialer.connect({host, port: (tlsServer.address() as {port: number}).port, tls: true})).toBe(expected);
			if (expected === 'error') {
				expect((await log.waitFor('client.state', event => event.state === 'error')).reason).toMatch(/IP: 127\.0\.0\.1 is not in the cert's list/);
			}

			dialer.disconnect();
		}
	});

	it('a client that hangs up before the handshake is a row with its address and a fair reason', async () => {
		server = await startTestServer({tlsServer: 'generate'});
		await server.log.waitFor('server.tls');
		const plain = connectTcp({port: server.port, host: '127.0.0.1'});
		plain.on('error', () => undefined);
		plain.on('connect', () => plain.end());
		await server.log.waitFor('conn.close');
		expect(server.log.of('conn.open')[0]!.peer.address).toBe('127.0.0.1');
		expect(server.log.of('conn.warning')[0]!.detail).toMatch(/closed before the handshake was done/);
	});

	it('refuses at start a --key that is not the --cert\'s, naming the files', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'socket-tui-pair-'));
		const first = await testCertificate();
		const {generate} = await import('selfsigned');
		const other = await generate([{name: 'commonName', value: 'x'}], {keyType: 'ec', curve: 'P-256'});
		writeFileSync(join(dir, 'cert.pem'), first.cert);
		writeFileSync(join(dir, 'other.key'), other.private);
		writeFileSync(join(dir, 'junk.key'), 'not a key');
		expect(() => configFromFlags({tls: true, cert: join(dir, 'cert.pem'), key: join(dir, 'other.key')})).toThrow(/other\.key is not the private key of --cert .*cert\.pem/);
		expect(() => configFromFlags({tls: true, cert: join(dir, 'cert.pem'), key: join(dir, 'junk.key')})).toThrow(/junk\.key is not a PEM private key/);
	});
});
