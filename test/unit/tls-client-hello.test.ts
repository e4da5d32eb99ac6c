import {createServer} from 'node:net';
import {connect as connectTls} from 'node:tls';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {scanClientHello} from '../../source/protocol/tls-client-hello.js';

/** A real ClientHello, as Node's TLS client sends it (captured on loopback). */
async function realHello(options: {servername?: string; ALPNProtocols?: string[]}): Promise<Buffer> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const captured = new Promise<Buffer>(resolve => {
		server.once('connection', socket => {
			socket.once('data', (chunk: Buffer) => {
				resolve(chunk);
				socket.destroy();
			});
		});
	});
	const client = connectTls({port: (server.address() as {port: number}).port, host: '127.0.0.1', rejectUnauthorized: false, ...options});
	client.on('error', () => undefined);
	const bytes = await captured;
	client.destroy();
	server.close();
	return bytes;
}

/** The same handshake message carried in two records (RFC 8446 §5.1 lets a sender split it anywhere). */
function splitIntoTwoRecords(hello: Buffer, at: number): Buffer {
	const body = hello.subarray(5);
	const record = (fragment: Buffer): Buffer => Buffer.concat([Buffer.from([22, 3, 1, fragment.length >> 8, fragment.length & 0xFF]), fragment]);
	return Buffer.concat([record(body.subarray(0, at)), record(body.subarray(at))]);
}

describe('scanClientHello', () => {
	it('reads SNI and ALPN from a real ClientHello, whole or in two records, and asks for more until it is whole', async () => {
		const hello = await realHello({servername: 'example.test', ALPNProtocols: ['h2', 'http/1.1']});
		expect(scanClientHello(hello)).toEqual({kind: 'hello', hello: {serverName: 'example.test', alpn: ['h2', 'http/1.1']}});
		for (const at of [1, 3, 40, hello.length - 10]) {
			expect(scanClientHello(splitIntoTwoRecords(hello, at)), String(at)).toEqual({kind: 'hello', hello: {serverName: 'example.test', alpn: ['h2', 'http/1.1']}});
		}

		for (let end = 0; end < hello.length; end += 97) {
			expect(scanClientHello(hello.subarray(0, end)).kind).toBe('more');
		}

		expect(scanClientHello(await realHello({}))).toEqual({kind: 'hello', hello: {}});
	});

	it('says not-hello for plain text, and never throws on any bytes', () => {
		expect(scanClientHello(Buffer.from('GET / HTTP/1.1\r\n\r\n')).kind).toBe('not-hello');
		expect(scanClientHello(Buffer.from([22, 3, 1, 0, 4, 2, 0, 0, 0])).kind).toBe('not-hello'); // A ServerHello.
		fc.assert(fc.property(fc.uint8Array({maxLength: 600}), fc.boolean(), (bytes, asRecord) => {
			const input = asRecord ? Buffer.concat([Buffer.from([22, 3, 1, bytes.length >> 8, bytes.length & 0xFF, 1]), Buffer.from(bytes)]) : Buffer.from(bytes);
			expect(['more', 'hello', 'not-hello']).toContain(scanClientHello(input).kind);
		}), {numRuns: 2000});
	});
});
