import {describe, expect, it} from 'vitest';
import type {SocketEvent} from '../../source/events.js';
import {ReplayPlayer, type PlayerTarget} from '../../source/state/replay-player.js';

const at = (ts: number, id: number): SocketEvent => ({type: 'conn.read', ts, id, bytes: id});

/** A target that records what it was given, resets included. */
function recorder() {
	const applied: number[] = [];
	let resets = 0;
	const target: PlayerTarget = {
		apply(event) {
			applied.push((event as {id: number}).id);
		},
		reset() {
			resets++;
			applied.length = 0;
		},
		invalidate() {
			// Frames are the store's business.
		},
	};
	return {target, applied, resets: () => resets};
}

describe('ReplayPlayer', () => {
	const events = [at(1000, 1), at(1010, 2), at(1005, 3), at(1500, 4), at(3000, 5)];

	it('steps one event either way, its time the position, and a step back reduces the log again from the start', () => {
		const {target, applied, resets} = recorder();
		const player = new ReplayPlayer(events, target);
		expect([player.start, player.end, player.position]).toEqual([1000, 3000, 1000]);
		player.step(1);
		player.step(1);
		expect(applied).toEqual([1, 2]);
		// An event earlier than the one before it comes at that one's time (times are monotonic).
		player.step(1);
		expect([applied.at(-1), player.position]).toEqual([3, 1010]);
		player.step(-1);
		expect(resets()).toBe(1);
		expect([applied, player.position]).toEqual([[1, 2], 1010]);
		player.step(-5);
		expect([applied, player.position]).toEqual([[], 1000]);
		player.dispose();
	});

	it('seeks forward by applying what lies between, and back by starting over; clamps to the log', () => {
		const {target, applied, resets} = recorder();
		const player = new ReplayPlayer(events, target);
		player.seek(1499);
		expect(applied).toEqual([1, 2, 3]);
		player.seek(1500);
		expect(applied).toEqual([1, 2, 3, 4]);
		expect(resets()).toBe(0);
		player.seek(1009);
		expect([applied, resets()]).toEqual([[1], 1]);
		player.seek(99_999);
		expect([applied, player.position, player.applied]).toEqual([[1, 2, 3, 4, 5], 3000, 5]);
		player.seek(-1);
		expect([applied, player.position]).toEqual([[1], 1000]);
		player.dispose();
	});

	it('plays as recorded at its speed, every event in order, and stops at the end', async () => {
		const {target, applied} = recorder();
		const player = new ReplayPlayer(events, target, {speed: 64});
		const started = performance.now();
		const ended = new Promise<void>(resolve => {
			player.subscribe(() => {
				if (!player.playing) {
					resolve();
				}
			});
		});
		player.play();
		await ended;
		// 2 s of log at 64×: about 31 ms, never less.
		expect(performance.now() - started).toBeGreaterThanOrEqual(2000 / 64 - 1);
		expect([applied, player.position, player.playing]).toEqual([[1, 2, 3, 4, 5], 3000, false]);
		player.dispose();
	});

	it('steps the speed along its ladder and stays in it', () => {
		const player = new ReplayPlayer(events, recorder().target);
		player.changeSpeed(1);
		player.changeSpeed(1);
		expect(player.speed).toBe(4);
		for (let index = 0; index < 20; index++) {
			player.changeSpeed(-1);
		}

		expect(player.speed).toBe(0.1);
		player.dispose();
	});
});

describe('ReplayPlayer on a store', () => {
	it('shows a relayed line left unfinished once quiet, as live did: at a seek past its quiet time, and before the next event', async () => {
		const {EventBus} = await import('../../source/bus.js');
		const {Store} = await import('../../source/state/store.js');
		const endpoint = (port: number) => ({address: '127.0.0.1', port, family: 'IPv4' as const});
		const events: SocketEvent[] = [
			{type: 'relay.listening', ts: 1000, host: '127.0.0.1', port: 8080, family: 'IPv4', loopback: true, upstream: {host: '127.0.0.1', port: 80}},
			{type: 'relay.open', ts: 1000, id: 1, client: endpoint(5000), local: endpoint(8080), upstream: {host: '127.0.0.1', port: 80}, upstreamPeer: endpoint(80), connectMs: 1},
			{type: 'relay.data', ts: 1001, id: 1, from: 'upstream', bytes: 8, captured: 8, text: 'Welcome!'},
			{type: 'relay.data', ts: 2000, id: 1, from: 'client', bytes: 4, captured: 4, text: 'Ann\n'},
		];
		const shown = (store: InstanceType<typeof Store>): string[] => {
			const {transcript} = store.rows.get(1)!;
			return transcript.slice(0, transcript.length).filter(line => line.direction !== 'info').map(line => line.text);
		};

		const made: {player?: ReplayPlayer} = {};
		const store = new Store(new EventBus(), {clock: () => made.player!.position});
		const player = new ReplayPlayer(events, store);
		made.player = player;
		player.step(3);
		expect(shown(store)).toEqual([]);
		player.step(1);
		expect(shown(store)).toEqual(['Welcome!', 'Ann']);
		player.seek(1100);
		expect(shown(store)).toEqual([]);
		player.seek(1200);
		expect(shown(store)).toEqual(['Welcome!']);
		store.dispose();
		player.dispose();
	});
});
