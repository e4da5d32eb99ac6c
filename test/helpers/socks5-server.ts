import {connect, createServer, type Socket} from 'node:net';

/**
 * A small SOCKS5 server for tests (RFC 1928, with RFC 1929 user/password when `credentials` is
 * given): CONNECT only, IPv4 and domain names. Resolves with its port and a close function.
 */
export async function startSocks5Server(credentials?: {user: string; password: string}): Promise<{port: number; close: () => Promise<void>}> {
	const sockets = new Set<Socket>();
	// Half-open both ways, as a real proxy: a client's FIN is passed on, and the answer still comes back.
	const server = createServer({allowHalfOpen: true}, client => {
		sockets.add(client);
		client.on('close', () => sockets.delete(client));
		client.on('error', () => undefined);
		let buffer = Buffer.alloc(0);
		let stage: 'greeting' | 'auth' | 'request' = 'greeting';
		const onData = (chunk: Buffer): void => {
			buffer = Buffer.concat([buffer, chunk]);
			if (stage === 'greeting' && buffer.length >= 2 && buffer.length >= 2 + buffer[1]!) {
				const methods = [...buffer.subarray(2, 2 + buffer[1]!)];
				buffer = buffer.subarray(2 + buffer[1]!);
				const method = credentials ? 0x02 : 0x00;
				client.write(Buffer.from([5, methods.includes(method) ? method : 0xFF]));
				stage = credentials ? 'auth' : 'request';
			}

			if (stage === 'auth' && buffer.length >= 2) {
				const userLength = buffer[1]!;
				const passwordLength = buffer[2 + userLength];
				if (passwordLength === undefined || buffer.length < 3 + userLength + passwordLength) {
					return;
				}

				const user = buffer.subarray(2, 2 + userLength).toString();
				const password = buffer.subarray(3 + userLength, 3 + userLength + passwordLength).toString();
				buffer = buffer.subarray(3 + userLength + passwordLength);
				const ok = user === credentials!.user && password === credentials!.password;
				client.write(Buffer.from([1, ok ? 0 : 1]));
				if (!ok) {
					client.end();
					return;
				}

				stage = 'request';
			}

			if (stage === 'request' && buffer.length >= 5) {
				const type = buffer[3];
				const hostEnd = type === 1 ? 8 : 5 + buffer[4]!;
				if (buffer.length < hostEnd + 2) {
					return;
				}

				const host = type === 1 ? [...buffer.subarray(4, 8)].join('.') : buffer.subarray(5, hostEnd).toString();
				const port = buffer.readUInt16BE(hostEnd);
				client.off('data', onData);
				// Held until piped: a flowing socket without a 'data' listener would drop what comes meanwhile.
				client.pause();
				const upstream = connect({host, port, allowHalfOpen: true});
				let tunnelled = false;
				upstream.on('error', () => {
					if (tunnelled) {
						client.resetAndDestroy(); // A reset passes through the tunnel as a reset.
						return;
					}

					// Connection refused (5) or a general failure (1).
					client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0]));
				});
				upstream.once('connect', () => {
					tunnelled = true;
					client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
					client.pipe(upstream);
					upstream.pipe(client);
				});
			}
		};

		client.on('data', onData);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('no address');
	}

	return {port: address.port, close: async () => {
		for (const socket of sockets) {
			socket.destroy();
		}

		await new Promise<void>(resolve => {
			server.close(() => resolve());
		});
	}};
}
