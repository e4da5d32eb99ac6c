import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createServer, type TLSSocket} from 'node:tls';
import {generate} from 'selfsigned';
import {afterEach, describe, expect, it} from 'vitest';
import {runCliBytes} from '../helpers/cli.js';
import {testCertificate} from '../helpers/tls-server.js';

// Every TLS option on every command that speaks TLS as a client (connect tls://, get https://),
// through the packed CLI: --ca, --insecure, --cert/--key (a client certificate).

const dir = mkdtempSync(join(tmpdir(), 'socket-tui-tls-options-'));
const closers: Array<() => void> = [];
afterEach(() => {
	for (const close of closers.splice(0)) {
		close();
	}
});

async function files() {
	const server = await testCertificate();
	const client = await generate([{name: 'commonName', value: 'ann'}], {keyType: 'ec', curve: 'P-256', algorithm: 'sha256'});
	const paths = {ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key')};
	writeFileSync(paths.ca, server.cert);
	writeFileSync(paths.cert, client.cert);
	writeFileSync(paths.key, client.private);
	return {server, client: {cert: client.cert}, paths};
}

/** A server that asks for a client certificate signed by `clientCa`, and answers with its subject (HTTP when the request is). */
async function mutualTlsServer(server: {cert: string; key: string}, clientCa: string): Promise<number> {
	const listener = createServer({...server, requestCert: true, rejectUnauthorized: true, ca: clientCa}, (socket: TLSSocket) => {
		socket.on('error', () => undefined);
		socket.once('data', (chunk: Buffer) => {
			const who = `hello ${socket.getPeerCertificate().subject?.CN ?? '?'}\n`;
			socket.end(chunk.toString().startsWith('GET ') ? `HTTP/1.1 200 OK\r\nContent-Length: ${who.length}\r\n\r\n${who}` : who);
		});
	});
	listener.on('tlsClientError', () => undefined);
	await new Promise<void>(resolve => {
		listener.listen(0, '127.0.0.1', resolve);
	});
	closers.push(() => listener.close());
	return (listener.address() as {port: number}).port;
}

describe('TLS client options on connect and get', () => {
	it('--ca verifies the server, --cert/--key present a client certificate (mutual TLS), on connect and get alike', async () => {
		const {server, client, paths} = await files();
		const port = await mutualTlsServer(server, client.cert);
		const connect = await runCliBytes(['connect', `tls://localhost:${port}`, '--ca', paths.ca, '--cert', paths.cert, '--key', paths.key], 'hi\n');
		expect(connect.stderr).toBe('');
		expect(connect.stdout.toString()).toBe('hello ann\n');
		expect(connect.code).toBe(0);

		// The times agree: connected = TCP + TLS handshake, and the summary's connect is that sum.
		const verbose = await runCliBytes(['connect', `tls://localhost:${port}`, '-v', '--ca', paths.ca, '--cert', paths.cert, '--key', paths.key], 'hi\n');
		const times = /connected to tls:\/\/localhost:\d+ in ([\d.]+) ms \(TCP ([\d.]+) ms \+ TLS handshake ([\d.]+) ms\)/.exec(verbose.stderr);
		expect(times, verbose.stderr).not.toBeNull();
		const [total, tcp, tls] = times!.slice(1).map(Number) as [number, number, number];
		expect(Math.abs(total - tcp - tls)).toBeLessThan(0.02);

		const get = await runCliBytes(['get', `https://localhost:${port}/x`, '--ca', paths.ca, '--cert', paths.cert, '--key', paths.key, '-o', '-']);
		expect(get.stderr).not.toMatch(/does not apply|unexpected failure/);
		expect(get.stdout.toString()).toBe('hello ann\n');
		expect(get.code).toBe(0);
	});

	it('without --ca the self-signed server is refused on both, with the hint; --insecure takes it', async () => {
		const {server, client, paths} = await files();
		const port = await mutualTlsServer(server, client.cert);
		for (const args of [['connect', `tls://localhost:${port}`], ['get', `https://localhost:${port}/x`, '-o', '-']]) {
			const refused = await runCliBytes([...args, '--cert', paths.cert, '--key', paths.key], 'hi\n');
			expect(refused.stderr, args[0]).toMatch(/--ca FILE/);
			expect(refused.code, args[0]).toBe(1);
			const taken = await runCliBytes([...args, '--insecure', '--cert', paths.cert, '--key', paths.key], 'hi\n');
			expect(taken.stdout.toString(), args[0]).toBe('hello ann\n');
		}
	});

	it('refuses a --cert without its --key, or a key that is not the certificate\'s, naming the files (exit 2)', async () => {
		const {paths} = await files();
		for (const command of [['connect', 'tls://localhost:9'], ['get', 'https://localhost:9/']]) {
			const alone = await runCliBytes([...command, '--cert', paths.cert]);
			expect(alone.stderr, command[0]).toMatch(/--cert and --key go together/);
			expect(alone.code).toBe(2);
			const mismatched = await runCliBytes([...command, '--cert', paths.ca, '--key', paths.key]);
			expect(mismatched.stderr, command[0]).toMatch(/is not the private key of --cert/);
			expect(mismatched.code).toBe(2);
		}
	});
});

describe('--servername', () => {
	it('sends that name as SNI and checks the certificate against it, on connect and get (tls://IP sends none without it)', async () => {
		const {server, paths} = await files();
		const names: Array<string | false> = [];
		const listener = createServer({...server}, (socket: TLSSocket) => {
			names.push(socket.servername ?? false);
			socket.on('error', () => undefined);
			socket.once('data', (chunk: Buffer) => {
				socket.end(chunk.toString().startsWith('GET ') ? 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n' : 'ok\n');
			});
		});
		await new Promise<void>(resolve => listener.listen(0, '127.0.0.1', resolve));
		closers.push(() => listener.close());
		const port = (listener.address() as {port: number}).port;
		const plain = await runCliBytes(['connect', `tls://127.0.0.1:${port}`, '--ca', paths.ca], 'hi\n');
		expect(plain.stdout.toString()).toBe('ok\n');
		const named = await runCliBytes(['connect', `tls://127.0.0.1:${port}`, '--ca', paths.ca, '--servername', 'localhost'], 'hi\n');
		expect(named.stdout.toString()).toBe('ok\n');
		const get = await runCliBytes(['get', `https://127.0.0.1:${port}/`, '--ca', paths.ca, '--servername', 'localhost', '-o', '-']);
		expect(get.stdout.toString()).toBe('ok\n');
		expect(names).toEqual([false, 'localhost', 'localhost']);
		// A name the certificate does not hold is refused, as it would be when dialled by that name.
		const wrong = await runCliBytes(['connect', `tls://127.0.0.1:${port}`, '--ca', paths.ca, '--servername', 'example.test'], 'hi\n');
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toMatch(/names other hosts/);
		expect((await runCliBytes(['connect', `tls://127.0.0.1:${port}`, '--servername', 'a b'])).code).toBe(2);
	});
});
