import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import type {SocketEvent} from '../../source/events.js';
import {replayActions} from '../../source/replay-actions.js';
import {ReplayPlayer} from '../../source/state/replay-player.js';
import {Store} from '../../source/state/store.js';
import {App} from '../../source/ui/App.js';
import {effectsSettled, frameWith} from '../helpers/ui.js';

const t0 = Date.UTC(2026, 10, 30, 12);
const endpoint = (port: number) => ({address: '127.0.0.1', port, family: 'IPv4' as const});

/** A recorded serve run: listen, the tutorial client's life over 2 s (its name, its exit). */
const events: SocketEvent[] = [
	{type: 'server.listening', ts: t0, host: '127.0.0.1', port: 9999, family: 'IPv4', backlog: 511, loopback: true, framing: 'line', eol: 'none', maxClients: 10, maxLine: 1024},
	{type: 'conn.open', ts: t0 + 100, id: 1, peer: endpoint(50_001), local: endpoint(9999)},
	{type: 'conn.reply', ts: t0 + 101, id: 1, kind: 'welcome', text: 'Welcome!'},
	{type: 'conn.read', ts: t0 + 1000, id: 1, bytes: 7},
	{type: 'conn.message', ts: t0 + 1150, id: 1, text: 'Michael', eol: ''},
	{type: 'conn.reply', ts: t0 + 1150, id: 1, kind: 'reply', text: 'Hello, Michael!'},
	{type: 'conn.read', ts: t0 + 1900, id: 1, bytes: 4},
	{type: 'conn.message', ts: t0 + 1999, id: 1, text: 'exit', eol: ''},
	{type: 'conn.close', ts: t0 + 2000, id: 1, reason: 'exit', bytesIn: 11, bytesOut: 23, messagesIn: 2, durationMs: 1900},
];

let cleanup: (() => void) | undefined;
afterEach(() => {
	cleanup?.();
	cleanup = undefined;
});

/** The screen replaying `recorded` (the serve run above by default), as `replay FILE` runs it. */
function startReplay(recorded = events, mode: 'serve' | 'relay' = 'serve', rows = 20, columns = 110) {
	const made: {player?: ReplayPlayer} = {};
	const store = new Store(new EventBus(), {frameMs: 1, clock: () => made.player!.position});
	store.replaying = true;
	const player = new ReplayPlayer(recorded, store);
	made.player = player;
	const view = render(<App store={store} actions={replayActions(store)} mode={mode} rows={rows} columns={columns} replay={player} />);
	cleanup = () => {
		view.unmount();
		player.dispose();
		store.dispose();
	};
	return {...view, store, player};
}

/** A recorded relay: a client through it, the upstream's welcome, its line, then the close. */
const relayEvents: SocketEvent[] = [
	{type: 'relay.listening', ts: t0, host: '127.0.0.1', port: 8080, family: 'IPv4', loopback: true, upstream: {host: '127.0.0.1', port: 9999}},
	{type: 'relay.open', ts: t0 + 100, id: 1, client: endpoint(50_001), local: endpoint(8080), upstream: {host: '127.0.0.1', port: 9999}, upstreamPeer: endpoint(9999), connectMs: 0.5},
	{type: 'relay.data', ts: t0 + 101, id: 1, from: 'upstream', bytes: 9, captured: 9, text: 'Welcome!\n'},
	{type: 'relay.data', ts: t0 + 900, id: 1, from: 'client', bytes: 4, captured: 4, text: 'Ann\n'},
	{type: 'relay.end', ts: t0 + 1500, id: 1, from: 'client'},
	{type: 'relay.close', ts: t0 + 2000, id: 1, reason: 'closed', bytesUp: 4, bytesDown: 9, durationMs: 1900},
];

describe('replay FILE on the screen', () => {
	it('shows the listener closed at a moment after server.closed, and listening again before it (seeking both ways)', async () => {
		const closing: SocketEvent[] = [events[0]!, {type: 'udp.listening', ts: t0, host: '127.0.0.1', port: 9999, family: 'IPv4', receiveBuffer: 212_992}, ...events.slice(1), {type: 'udp.closed', ts: t0 + 2500, host: '127.0.0.1', port: 9999}, {type: 'server.closed', ts: t0 + 2500, host: '127.0.0.1', port: 9999}];
		const app = startReplay(closing, 'serve', 20, 160);
		app.stdin.write('\u001B[F'); // End
		let frame = await frameWith(app.lastFrame, frame => frame.includes('12/12 events'));
		expect(frame).toMatch(/TCP 127\.0\.0\.1:9999 · closed/);
		expect(frame).toMatch(/UDP 127\.0\.0\.1:9999 · closed/);
		expect(frame).not.toContain('· listening');
		app.stdin.write(',,');
		frame = await frameWith(app.lastFrame, frame => frame.includes('10/12 events'));
		expect(frame).toContain('TCP 127.0.0.1:9999 · listening');
		expect(frame).not.toContain('· closed');
	});

	it('shows a relayed connection as it was at that moment: open, both directions passing, then closed', async () => {
		const view = startReplay(relayEvents, 'relay', 16);
		await frameWith(view.lastFrame, frame => frame.includes('0/6 events'));
		await effectsSettled();
		view.stdin.write('....');
		await frameWith(view.lastFrame, frame => frame.includes('4/6 events'));
		view.stdin.write('\r');
		let frame = await frameWith(view.lastFrame, frame => frame.includes('↑ client→upstream passing'));
		expect(frame).toContain('↓ Welcome!');
		expect(frame).not.toContain('closed (gone)');
		// Explain: a relay of streams is told as recv/sendall (datagrams as recvfrom/sendto).
		view.stdin.write('e');
		await frameWith(view.lastFrame, frame => frame.includes('↓ upstream.recv() -> client.sendall(b\'Welcome!\\n\')'));
		// The help takes the keys: a step behind it would go unseen.
		view.stdin.write('?.');
		await frameWith(view.lastFrame, frame => frame.includes('socket-tui keys'));
		view.stdin.write('\u001B');
		await frameWith(view.lastFrame, frame => frame.includes('4/6 events'));
		// The client's FIN: that direction is finished, the other still passing.
		view.stdin.write('.');
		await frameWith(view.lastFrame, frame => frame.includes('↑ client→upstream finished (its FIN passed on) · ↓ upstream→client passing'));
		view.stdin.write('.');
		frame = await frameWith(view.lastFrame, frame => frame.includes('closed (both sides finished)'));
	});

	it('has a time bar, steps event by event (also several keys in one write), jumps, seeks and plays to the end', async () => {
		const app = startReplay();
		await frameWith(app.lastFrame, frame => frame.includes('❚❚ 0.000s / 2.000s') && frame.includes('0/9 events'));
		await effectsSettled();
		app.stdin.write('.');
		await frameWith(app.lastFrame, frame => frame.includes('TCP 127.0.0.1:9999') && frame.includes('1/9 events'));
		// Three steps in one burst: the row opens and is welcomed.
		app.stdin.write('...');
		let frame = await frameWith(app.lastFrame, frame => frame.includes('4/9 events'));
		expect(frame).toContain('❚❚ 1.000s / 2.000s');
		expect(frame).toMatch(/127\.0\.0\.1:50001 +open/);
		// 5: half-way; the state at that moment (the name not yet framed: it came at 1.15 s).
		app.stdin.write('5');
		frame = await frameWith(app.lastFrame, frame => frame.includes('❚❚ 1.000s / 2.000s') && frame.includes('4/9 events'));
		app.stdin.write('\u001B[F'); // End
		frame = await frameWith(app.lastFrame, frame => frame.includes('9/9 events'));
		expect(frame).toMatch(/127\.0\.0\.1:50001 +closed/);
		// Back one step: open again, as it was just before its close.
		app.stdin.write(',');
		frame = await frameWith(app.lastFrame, frame => frame.includes('8/9 events'));
		expect(frame).toMatch(/127\.0\.0\.1:50001 +open/);
		// Home: before the first event, where , stepping back ends too; then play at 1024× to the end.
		app.stdin.write('\u001B[H');
		await frameWith(app.lastFrame, frame => frame.includes('0/9 events') && frame.includes('0/0 open'));
		// A burst that mixes the replay's keys and the screen's: each acts, in order.
		app.stdin.write('..t.');
		await frameWith(app.lastFrame, frame => frame.includes('3/9 events') && frame.includes('timeline on'));
		app.stdin.write('\u001B[H');
		await frameWith(app.lastFrame, frame => frame.includes('0/9 events'));
		for (let press = 0; press < 10; press++) {
			app.stdin.write('+');
		}

		await frameWith(app.lastFrame, frame => frame.includes('×1024'));
		app.stdin.write(' ');
		frame = await frameWith(app.lastFrame, frame => frame.includes('9/9 events') && frame.includes('❚❚ 2.000s'));
		expect(frame).toMatch(/127\.0\.0\.1:50001 +closed/);
	});

	it('zooms the focused pane to the whole window with z, and back', async () => {
		const app = startReplay();
		await frameWith(app.lastFrame, frame => frame.includes('UDP off'));
		await effectsSettled();
		app.stdin.write('z');
		const zoomed = await frameWith(app.lastFrame, frame => !frame.includes('UDP off'));
		expect(zoomed.split('\n')[0]).toMatch(/^╭─{108}╮$/);
		app.stdin.write('z');
		await frameWith(app.lastFrame, frame => frame.includes('UDP off'));
	});

	it('opens a connection\'s timeline at that moment, and sends nothing: typing to it is refused, kicking and broadcasting too', async () => {
		const app = startReplay();
		await frameWith(app.lastFrame, frame => frame.includes('0/9 events'));
		await effectsSettled();
		app.stdin.write('\u001B[F');
		await frameWith(app.lastFrame, frame => frame.includes('9/9 events'));
		app.stdin.write('k');
		await frameWith(app.lastFrame, frame => frame.includes('a replay shows what was recorded: nothing is sent'));
		// b opens no broadcast box: the key after it is still the replay's (a step back).
		app.stdin.write('b,');
		const refused = await frameWith(app.lastFrame, frame => frame.includes('8/9 events'));
		expect(refused).not.toContain('every open connection');
		// At 1 s the connection is open: its box says a replay sends nothing.
		app.stdin.write('5');
		await frameWith(app.lastFrame, frame => frame.includes('4/9 events'));
		app.stdin.write('\r');
		await frameWith(app.lastFrame, frame => frame.includes('a replay: nothing is sent'));
		app.stdin.write('t');
		let frame = await frameWith(app.lastFrame, frame => frame.includes('recv: 7 bytes'));
		expect(frame).not.toContain('framing:');
		// On to the end: the steps that came since, up to the close.
		app.stdin.write('\u001B[F');
		frame = await frameWith(app.lastFrame, frame => frame.includes('close: we closed first (exit)'));
		expect(frame).toMatch(/\+1\.050s \+150ms +│ +•│ framing: a tail \(no line end\) once/);
		// Back to before it opened: no timeline of a connection that is not there yet.
		app.stdin.write('\u001B[H');
		frame = await frameWith(app.lastFrame, frame => frame.includes('not open yet at this moment of the replay'));
		expect(frame).toContain('#1 · not open yet · Esc back');
		expect(frame).not.toMatch(/\+\d{6,}s/);
	});
});
