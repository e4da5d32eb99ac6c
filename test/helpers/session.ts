import {afterEach} from 'vitest';
import {Peer} from './peer.js';
import {startTestServer, type TestServer} from './server.js';

/**
 * A test file's server and peers, all closed after each test: `start()` a server, `peer()` as
 * many raw clients as the test needs.
 */
export function serverSession(): {start: typeof startTestServer; peer: (port: number) => Promise<Peer>; current: () => TestServer} {
	let server: TestServer | undefined;
	const peers: Peer[] = [];
	afterEach(async () => {
		for (const connected of peers.splice(0)) {
			connected.socket.destroy();
		}

		await server?.engine.stop();
		server = undefined;
	});
	return {
		async start(overrides) {
			server = await startTestServer(overrides);
			return server;
		},
		async peer(port) {
			const connected = await Peer.connect(port);
			peers.push(connected);
			return connected;
		},
		current: () => server!,
	};
}
