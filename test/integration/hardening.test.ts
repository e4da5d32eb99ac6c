import {readdirSync} from 'node:fs';
import {connect, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {Peer} from '../helpers/peer.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;

afterEach(async () => {
	await server?.engine.stop();
	server = undefined;
});

const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		return state / 2_147_483_648;
	};
}

/** One churning client: connects, maybe sends random binary, then resets, half-closes or exits. */
async function churn(port: number, next: () => number): Promise<void> {
	const socket: Socket = connect({port, host: '127.0.0.1'});
	socket.on('error', () => undefined);
	await new Promise<void>(resolve => {
		socket.once('connect', resolve);
		socket.once('error', resolve);
	});
	const bytes = Buffer.from(Array.from({length: Math.floor(next() * 300)}, () => Math.floor(next() * 256)));
	const ending = next();
	socket.write(bytes);
	if (ending < 0.4) {
		socket.resetAndDestroy();
	} else if (ending < 0.7) {
		socket.end(); // Half-close: the server answers the tail, then closes.
	} else {
		socket.end('\nexit\n');
	}

	socket.resume();
	await new Promise<void>(resolve => {
		if (socket.closed) {
			resolve();
		} else {
			socket.once('close', () => {
				resolve();
			});
		}
	});
}

describe('churn', () => {
	it('survives thousands of resets, half-closes and random binary; counts stay true; descriptors return', async () => {
		server = await startTestServer({lingerMs: 500});
		const baseline = openDescriptors();
		const next = random(42);
		const total = 3000;
		const parallel = 100;
		for (let started = 0; started < total; started += parallel) {
			await Promise.all(Array.from({length: parallel}, async () => churn(server!.port, next)));
			// Accepted minus closed, from the events, is what the server says is open.
			const opened = server.log.of('conn.open').length;
			const closed = server.log.of('conn.close').length;
			expect(server.engine.server!.openCount).toBe(opened - closed);
		}

		await server.log.waitForCount('conn.close', total);
		expect(server.engine.server!.openCount).toBe(0);
		const reasons = new Set(server.log.of('conn.close').map(event => event.reason));
		expect([...reasons].every(reason => ['reset', 'eof', 'exit'].includes(reason))).toBe(true);
		expect(reasons.has('reset')).toBe(true);
		// A server that still answers.
		const probe = await Peer.connect(server.port);
		probe.write('still up\n');
		await probe.waitForText('Hello, still up!');
		probe.socket.destroy();
		await server.log.waitForCount('conn.close', total + 1);
		expect(openDescriptors()).toBeLessThanOrEqual(baseline + 2);
	}, 60_000);
});
