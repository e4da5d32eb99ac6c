import {createServer, type Server, type Socket} from 'node:net';

/** A plain node:net server for tests, on loopback with a port from the OS. */
export type PeerServer = {
	readonly server: Server;
	readonly port: number;
	/** Resolves with the next accepted socket. */
	readonly nextSocket: () => Promise<Socket>;
	readonly close: () => Promise<void>;
};

export async function startPeerServer(onConnection: (socket: Socket) => void = () => undefined, host = '127.0.0.1'): Promise<PeerServer> {
	const waiting: Array<(socket: Socket) => void> = [];
	const accepted: Socket[] = [];
	const all = new Set<Socket>();
	const server = createServer({allowHalfOpen: true}, socket => {
		all.add(socket);
		socket.on('close', () => all.delete(socket));
		socket.on('error', () => undefined);
		onConnection(socket);
		const waiter = waiting.shift();
		if (waiter) {
			waiter(socket);
		} else {
			accepted.push(socket);
		}
	});
	await new Promise<void>(resolve => {
		server.listen(0, host, resolve);
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('no address');
	}

	return {
		server,
		port: address.port,
		nextSocket: async () => accepted.shift() ?? new Promise<Socket>(resolve => waiting.push(resolve)),
		close: async () => {
			for (const socket of all) {
				socket.destroy();
			}

			await new Promise<void>(resolve => {
				server.close(() => resolve());
			});
		},
	};
}

/** Everything a socket sends until its FIN, as one buffer. */
export async function readToEnd(socket: Socket): Promise<Buffer> {
	const chunks: Buffer[] = [];
	return new Promise(resolve => {
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.once('end', () => resolve(Buffer.concat(chunks)));
		socket.once('close', () => resolve(Buffer.concat(chunks)));
	});
}
