import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createSocket} from 'node:dgram';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {configFromFlags} from '../../source/config.js';
import {startEngine, type Engine} from '../../source/engine.js';
import {readEventLog} from '../../source/protocol/event-log.js';
import {attachLogFile} from '../../source/sinks/ndjson.js';
import {ReplayPlayer} from '../../source/state/replay-player.js';
import {Store} from '../../source/state/store.js';
import {EventLog} from '../helpers/collect.js';
import {Peer} from '../helpers/peer.js';

let engine: Engine | undefined;
afterEach(async () => {
	await engine?.stop();
	engine = undefined;
});

/** Everything a pane can show of a store, as plain data. */
function snapshot(store: Store) {
	const {server, client, udp} = store;
	return {
		server: {listening: server.listening, open: server.open, total: server.total, messages: server.messages, order: [...store.order], rate: server.rate.recent(store.now())},
		rows: store.order.map(id => {
			const {transcript, steps, ...row} = store.rows.get(id)!;
			return {...row, transcript: transcript.slice(0, transcript.length), steps: steps.slice(0, steps.length)};
		}),
		client: {state: client.state, remote: client.remote, connectMs: client.connectMs, transcript: client.transcript.slice(0, client.transcript.length), steps: client.steps.slice(0, client.steps.length)},
		udp: {listening: udp.listening, feed: udp.feed.slice(0, udp.feed.length)},
	};
}

describe('a recorded log, replayed', () => {
	it('reduces to the same state as the live run did: rows, transcripts, steps, the client, the UDP feed', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-replay-')), 'run.ndjson');
		const bus = new EventBus();
		const events = new EventLog(bus);
		// The live store takes its clock from the events, as SOCKET_TUI_CLOCK=events does on the screen.
		const live = new Store(bus, {clock: 'events'});
		const detach = attachLogFile(bus, file);
		engine = await startEngine({...configFromFlags({port: '0', udpPort: '0'}), eol: 'none'}, {serve: true, connect: 'own-server'}, bus);
		const port = engine.server!.address!.port;
		await events.waitFor('client.received');
		// The tutorial client (no newlines), an outsider with CRLF and binary, our own client, a datagram.
		const tutorial = await Peer.connect(port);
		await tutorial.waitForText('Welcome!');
		tutorial.write('Michael');
		await tutorial.waitForText('Hello, Michael!');
		tutorial.write('exit');
		await tutorial.waitForClose();
		const outsider = await Peer.connect(port);
		outsider.write(Buffer.from('GET / HTTP/1.0\r\n\r\n\u0000\u00FF\u00FE\n', 'latin1'));
		await events.waitFor('conn.message', event => event.type === 'conn.message' && event.base64 !== undefined);
		outsider.socket.destroy();
		engine.client!.send('ping');
		await events.waitFor('client.received', event => event.type === 'client.received' && event.text.includes('ping'));
		const udp = createSocket('udp4');
		udp.send('a datagram', engine.udp!.address!.port, '127.0.0.1');
		await events.waitFor('udp.datagram');
		udp.close();
		await events.waitFor('conn.close', event => event.type === 'conn.close' && event.id === 3);
		await engine.stop();
		engine = undefined;
		await detach();
		live.dispose();

		const log = readEventLog(readFileSync(file, 'utf8'), file);
		const made: {player?: ReplayPlayer} = {};
		const replayed = new Store(new EventBus(), {clock: () => made.player!.position});
		const player = new ReplayPlayer(log.events, replayed);
		made.player = player;
		player.seek(player.end);
		expect(snapshot(replayed)).toEqual(snapshot(live));
		expect(replayed.rows.size).toBe(3);

		// Half-way, then the end again: the same as going there straight.
		player.seek((player.start + player.end) / 2);
		player.seek(player.end);
		expect(snapshot(replayed)).toEqual(snapshot(live));
		replayed.dispose();
	});
});
