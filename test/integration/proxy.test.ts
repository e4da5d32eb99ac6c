import {spawn, spawnSync} from 'node:child_process';
import {connect, createServer} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {configFromFlags} from '../../source/config.js';
import {TcpClient} from '../../source/net/tcp-client.js';
import {EventLog} from '../helpers/collect.js';
import {startTestServer, type TestServer} from '../helpers/server.js';
import {startSocks5Server} from '../helpers/socks5-server.js';

const closers: Array<() => Promise<void> | void> = [];
let server: TestServer | undefined;
afterEach(async () => {
	for (const close of closers.splice(0)) {
		await close();
	}

	await server?.engine.stop();
	server = undefined;
});

function clientVia(proxy: string) {
	const bus = new EventBus();
	const log = new EventLog(bus);
	return {log, client: new TcpClient(bus, configFromFlags({proxy}))};
}

async function freePort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>(resolve => {
		probe.listen(0, '127.0.0.1', resolve);
	});
	const {port} = probe.address() as {port: number};
	await new Promise(resolve => {
		probe.close(resolve);
	});
	return port;
}

describe('--proxy', () => {
	it('reaches the server through a SOCKS5 proxy (with credentials), and names the step that failed', async () => {
		server = await startTestServer();
		const socks = await startSocks5Server({user: 'ann', password: 's3cret'});
		closers.push(socks.close);
		const good = clientVia(`socks5://ann:s3cret@127.0.0.1:${socks.port}`);
		expect(await good.client.connect({host: '127.0.0.1', port: server.port})).toBe('connected');
		expect((await good.log.waitFor('client.received')).text).toBe('Welcome!');
		good.client.send('Michael');
		expect((await good.log.waitFor('client.received', event => event.text.startsWith('Hello'))).text).toBe('Hello, Michael!');
		good.client.disconnect();

		const badAuth = clientVia(`socks5://ann:wrong@127.0.0.1:${socks.port}`);
		expect(await badAuth.client.connect({host: '127.0.0.1', port: server.port})).toBe('error');
		expect((await badAuth.log.waitFor('client.state', event => event.state === 'error')).reason).toMatch(/refused our credentials/);

		const deadTarget = clientVia(`socks5://ann:s3cret@127.0.0.1:${socks.port}`);
		expect(await deadTarget.client.connect({host: '127.0.0.1', port: await freePort()})).toBe('error');
		expect((await deadTarget.log.waitFor('client.state', event => event.state === 'error')).reason).toMatch(/could not reach 127\.0\.0\.1:\d+/);

		const noProxy = clientVia(`socks5://127.0.0.1:${await freePort()}`);
		expect(await noProxy.client.connect({host: '127.0.0.1', port: server.port})).toBe('refused');
		expect((await noProxy.log.waitFor('client.state', event => event.state === 'refused')).reason).toMatch(/the proxy refused the connection/);
	});

	it.skipIf(spawnSync('ncat', ['--version']).status !== 0)('reaches the server through an HTTP CONNECT proxy (ncat -l -k --proxy-type http)', async () => {
		server = await startTestServer();
		const port = await freePort();
		const ncat = spawn('ncat', ['-l', '-k', '127.0.0.1', String(port), '--proxy-type', 'http'], {stdio: 'ignore'});
		closers.push(() => {
			ncat.kill('SIGKILL');
		});
		// Wait until ncat listens (a bounded loop of connect attempts).
		for (let attempt = 0; attempt < 100; attempt++) {
			const up = await new Promise<boolean>(resolve => {
				const probe = connect({port, host: '127.0.0.1'}, () => {
					probe.destroy();
					resolve(true);
				});
				probe.on('error', () => resolve(false));
			});
			if (up) {
				break;
			}

			await new Promise(resolve => setTimeout(resolve, 20));
		}

		const via = clientVia(`http://127.0.0.1:${port}`);
		expect(await via.client.connect({host: '127.0.0.1', port: server.port})).toBe('connected');
		expect((await via.log.waitFor('client.received')).text).toBe('Welcome!');
		via.client.disconnect();
	});

	it('refuses a --proxy it cannot read, in one line', () => {
		expect(() => configFromFlags({proxy: 'ftp://h:1'})).toThrow(/--proxy takes socks5:\/\/HOST:PORT or http:\/\/HOST:PORT/);
		expect(configFromFlags({proxy: 'socks5://a%40b:p@[::1]:1080'}).proxy).toEqual({kind: 'socks5', host: '::1', port: 1080, user: 'a@b', password: 'p'});
	});
});

describe('--proxy for TLS, the relay and get', () => {
	it('speaks TLS to the target through a SOCKS5 tunnel', async () => {
		const {startTlsServer} = await import('../helpers/tls-server.js');
		const tls = await startTlsServer(socket => {
			socket.end('over tls\n');
		});
		closers.push(tls.close);
		const socks = await startSocks5Server();
		closers.push(socks.close);
		const bus = new EventBus();
		const log = new EventLog(bus);
		const client = new TcpClient(bus, {...configFromFlags({proxy: `socks5://127.0.0.1:${socks.port}`}), tlsClient: {insecure: false, ca: tls.cert}});
		expect(await client.connect({host: 'localhost', port: tls.port, tls: true})).toBe('connected');
		expect((await log.waitFor('client.received')).text).toBe('over tls');
		expect((await log.waitFor('client.state', event => event.state === 'connected')).tls?.authorized).toBe(true);
	});

	it('relays to the upstream through a proxy, and closes the client with the step that failed when the proxy is not there', async () => {
		const {relayDefaults, TcpRelay} = await import('../../source/net/tcp-relay.js');
		const {Peer} = await import('../helpers/peer.js');
		server = await startTestServer();
		const socks = await startSocks5Server();
		closers.push(socks.close);
		const bus = new EventBus();
		const log = new EventLog(bus);
		const options = {host: '127.0.0.1', port: 0, backlog: 511, upstream: {host: '127.0.0.1', port: server.port}, connectTimeoutMs: 2000, maxClients: 10, idleTimeoutMs: 0, captureBytes: Number.POSITIVE_INFINITY, ...relayDefaults};
		const relay = new TcpRelay(bus, {...options, proxy: {kind: 'socks5', host: '127.0.0.1', port: socks.port}});
		closers.push(async () => relay.close());
		const peer = await Peer.connect((await relay.listen()).port);
		await peer.waitForText('Welcome!\n');
		peer.write('Sarah\n');
		await peer.waitForText('Hello, Sarah!\n');

		const broken = new TcpRelay(bus, {...options, proxy: {kind: 'http', host: '127.0.0.1', port: await freePort()}});
		closers.push(async () => broken.close());
		const client = connect({port: (await broken.listen()).port, host: '127.0.0.1'});
		client.on('error', () => undefined);
		const close = await log.waitFor('relay.close', event => event.reason === 'refused');
		expect(close.error).toMatch(/the proxy refused the connection/);
	});

	it('get http:// through an HTTP proxy sends the absolute form, as curl -x does', async () => {
		const {runCliBytes} = await import('../helpers/cli.js');
		let requestLine = '';
		const proxy = createServer(socket => {
			socket.once('data', (chunk: Buffer) => {
				requestLine = chunk.toString('latin1').split('\r\n')[0]!;
				socket.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n');
			});
		});
		await new Promise<void>(resolve => {
			proxy.listen(0, '127.0.0.1', resolve);
		});
		closers.push(async () => new Promise<void>(resolve => {
			proxy.close(() => resolve());
		}));
		const {port} = proxy.address() as {port: number};
		const {code, stdout} = await runCliBytes(['get', 'http://example.invalid:8080/x?y=1', '--proxy', `http://127.0.0.1:${port}`, '-o', '-']);
		expect(code).toBe(0);
		expect(stdout.toString()).toBe('ok\n');
		expect(requestLine).toBe('GET http://example.invalid:8080/x?y=1 HTTP/1.1');
	});

	it('survives proxies that close in the middle of the handshake', async () => {
		// Answers the SOCKS greeting, then hangs up.
		const rude = createServer(socket => {
			socket.once('data', () => {
				socket.end(Buffer.from([5]));
			});
		});
		await new Promise<void>(resolve => {
			rude.listen(0, '127.0.0.1', resolve);
		});
		closers.push(async () => new Promise<void>(resolve => {
			rude.close(() => resolve());
		}));
		const {port} = rude.address() as {port: number};
		server = await startTestServer();
		for (const kind of ['socks5', 'http']) {
			const via = clientVia(`${kind}://127.0.0.1:${port}`);
			expect(await via.client.connect({host: '127.0.0.1', port: server.port})).toBe('error');
			expect((await via.log.waitFor('client.state', event => event.state === 'error')).reason).toMatch(/socks5:\/\/|http:\/\//);
		}

		// Nothing else is hurt: a direct client is still served.
		const plain = new TcpClient(new EventBus(), configFromFlags({}));
		expect(await plain.connect({host: '127.0.0.1', port: server.port})).toBe('connected');
		plain.disconnect();
	});
});
