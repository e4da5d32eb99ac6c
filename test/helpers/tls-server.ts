import type {Socket} from 'node:net';
import {createServer, type TLSSocket} from 'node:tls';
import {generate} from 'selfsigned';

export type TestCertificate = {readonly key: string; readonly cert: string};

let cached: Promise<TestCertificate> | undefined;

/** A self-signed certificate for localhost and 127.0.0.1 (made once per test file). */
export async function testCertificate(): Promise<TestCertificate> {
	cached ??= generate([{name: 'commonName', value: 'localhost'}], {
		keySize: 2048,
		extensions: [{name: 'subjectAltName', altNames: [{type: 2, value: 'localhost'}, {type: 7, ip: '127.0.0.1'}]}],
	}).then(pems => ({key: pems.private, cert: pems.cert}));
	return cached;
}

/** A TLS server on loopback (port from the OS) that hands each connection to `onConnection`. */
export async function startTlsServer(onConnection: (socket: TLSSocket) => void): Promise<{port: number; cert: string; close: () => Promise<void>}> {
	const {key, cert} = await testCertificate();
	const sockets = new Set<TLSSocket>();
	const server = createServer({key, cert, allowHalfOpen: true}, socket => {
		sockets.add(socket);
		socket.on('error', () => undefined);
		socket.on('close', () => sockets.delete(socket));
		onConnection(socket);
	});
	server.on('tlsClientError', () => undefined);
	// Raw connections too: one whose handshake failed never reaches onConnection.
	const raw = new Set<Socket>();
	server.on('connection', socket => {
		raw.add(socket);
		socket.on('close', () => raw.delete(socket));
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('no address');
	}

	return {port: address.port, cert, close: async () => {
		for (const socket of [...sockets, ...raw]) {
			socket.destroy();
		}

		await new Promise<void>(resolve => {
			server.close(() => resolve());
		});
	}};
}
