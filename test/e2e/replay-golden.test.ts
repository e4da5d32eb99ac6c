import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Peer} from '../helpers/peer.js';
import {PtyScreen} from '../helpers/pty-screen.js';

const screens: PtyScreen[] = [];
afterEach(() => {
	for (const screen of screens.splice(0)) {
		screen.kill();
	}
});

/** The panes' rows of a screen (the status line and, in a replay, the time bar aside). */
const panes = (screen: string, rows: number): string => screen.split('\n').slice(0, rows).join('\n');

describe('replay, golden', () => {
	it('a scripted run recorded in a real terminal, replayed: the final frame is the live run\'s', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-golden-')), 'run.ndjson');
		// The clock pinned to the events' time, so that ages and rates are the same in both runs.
		const live = new PtyScreen(['serve', '--port', '0', '--no-udp', '--eol', 'none', '--log', file, '--no-history'], {columns: 100, rows: 24, env: {SOCKET_TUI_CLOCK: 'events'}});
		screens.push(live);
		const first = await live.waitFor(screen => /TCP 127\.0\.0\.1:\d+/.test(screen));
		const port = Number(/TCP 127\.0\.0\.1:(\d+)/.exec(first)![1]);

		// The tutorial's client: no newlines, one recv per send, then exit.
		const tutorial = await Peer.connect(port);
		await tutorial.waitForText('Welcome!');
		for (const name of ['Michael', 'Tracy', 'Sarah']) {
			tutorial.write(name);
			await tutorial.waitForText(`Hello, ${name}!`);
		}

		tutorial.write('exit');
		await tutorial.waitForClose();
		// A second client, with CRLF lines, that stays.
		const second = await Peer.connect(port);
		await second.waitForText('Welcome!');
		second.write('GET / HTTP/1.0\r\n\r\n');
		await second.waitForText('Hello, GET / HTTP/1.0!');
		await live.waitFor(screen => /closed .*\(exit\)/.test(screen) && /127\.0\.0\.1:\d+ +open/.test(screen) && screen.includes('1/2 open'));
		// The first row's timeline, in both runs by the same keys.
		live.type('\r');
		await live.waitFor(screen => screen.includes('Esc back'));
		live.type('t');
		const liveFrame = await live.waitFor(screen => screen.includes('close (exit)'));
		live.type('\u001Bq');
		second.socket.destroy();
		expect(await live.exited).toBe(0);
		expect(readFileSync(file, 'utf8')).toContain('"type":"conn.close"');

		// One more row, for the time bar: the panes get the same height as live.
		const replay = new PtyScreen(['replay', file, '--speed', '1024'], {columns: 100, rows: 25});
		screens.push(replay);
		await replay.waitFor(screen => /❚❚ .* (\d+)\/\1 events/.test(screen));
		replay.type('\r');
		await replay.waitFor(screen => screen.includes('Esc back'));
		replay.type('t');
		const replayFrame = await replay.waitFor(screen => screen.includes('close (exit)'));
		expect(panes(replayFrame, 22)).toBe(panes(liveFrame, 22));
		expect(replayFrame).toMatch(/│───5 B───▶│|│────5 B───▶│/);
		replay.type('q');
		expect(await replay.exited).toBe(0);
	}, 60_000);

	it.skipIf(process.platform !== 'linux')('logs what the screen saw of the kernel (explain on): a TIME_WAIT is in the log, for its replay', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-kernel-')), 'run.ndjson');
		const live = new PtyScreen(['serve', '--port', '0', '--no-udp', '--explain', '--log', file, '--no-history'], {columns: 100, rows: 24});
		screens.push(live);
		const first = await live.waitFor(screen => /TCP 127\.0\.0\.1:\d+/.test(screen));
		const port = Number(/TCP 127\.0\.0\.1:(\d+)/.exec(first)![1]);
		const peer = await Peer.connect(port);
		await peer.waitForText('Welcome!');
		peer.write('exit\n'); // The server closes first: its side lingers in TIME_WAIT.
		await peer.waitForClose();
		await live.waitFor(screen => /127\.0\.0\.1:\d+ +closed/.test(screen));
		live.type('\r');
		await live.waitFor(screen => screen.includes('TIME_WAIT'));
		live.type('\u001Bq');
		expect(await live.exited).toBe(0);
		expect(readFileSync(file, 'utf8')).toContain('"type":"kernel.time-wait"');
	}, 30_000);
});
