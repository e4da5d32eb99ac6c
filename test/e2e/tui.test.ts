import {createSocket} from 'node:dgram';
import {afterEach, describe, expect, it} from 'vitest';
import {Peer} from '../helpers/peer.js';
import {PtyScreen} from '../helpers/pty-screen.js';

let app: PtyScreen | undefined;

afterEach(() => {
	app?.kill();
	app = undefined;
});

describe('socket-tui in a real terminal', () => {
	it('chats, shows outside clients and datagrams, disconnects on exit, and q restores the terminal', async () => {
		app = new PtyScreen(['--port', '0', '--no-history']);
		const first = await app.waitFor(screen => screen.includes('← Welcome!'));
		const port = Number(/Client → 127\.0\.0\.1:(\d+)/.exec(first)![1]);
		expect(app.raw).toContain('\u001B[?1049h'); // Alternate screen.
		expect(app.raw).not.toMatch(/\u001B\[[\d;]*m/); // NO_COLOR (set for the child): no styling at all.

		app.type('Michael\r');
		await app.waitFor(screen => screen.includes('← Hello, Michael!'));

		const outsider = await Peer.connect(port);
		const outsiderRow = new RegExp(`127\\.0\\.0\\.1:${outsider.socket.localPort} +open`);
		await app.waitFor(screen => outsiderRow.test(screen));
		const outsiderPort = outsider.socket.localPort;
		outsider.write('exit\n');
		await outsider.waitForClose();
		await app.waitFor(screen => new RegExp(`127\\.0\\.0\\.1:${outsiderPort} +closed`).test(screen));

		const udp = createSocket('udp4');
		udp.send('ping-over-udp', port, '127.0.0.1');
		await app.waitFor(screen => screen.includes('"ping-over-udp"'));
		udp.close();

		// A hostile peer: clear screen, title, cursor moves, OSC 52 clipboard, DCS, C1 CSI, bidi.
		// The screen must stay intact.
		const hostile = await Peer.connect(port);
		hostile.write('\u001B[2J\u001B]0;owned\u0007evil\u001B[H\u001B[10;10H\u001B]52;c;b3duZWQ=\u0007\u001BP1$qm\u001B\\\u009B2J\u202Egnp.exe\n');
		// The whole frame (a frame can be read while Ink is still writing it).
		const screen = await app.waitFor(screen => screen.includes('"\\e[2J\\e]0;own') && screen.includes('← Hello, Michael!'));
		expect(screen).toContain('← Hello, Michael!');
		expect(screen).toMatch(/^╭/); // The top border is still the first thing on screen.
		expect(app.raw).not.toContain('\u001B]52');
		expect(app.raw).not.toContain('\u001B]0;owned');
		hostile.socket.destroy();

		app.type('exit\r');
		await app.waitFor(screen => /closed \(connection closed by the server\)/.test(screen));

		// Tab and q in one write: Tab takes the focus out of the input box, and q acts on the
		// focus Tab left, without waiting for a frame (it used to need the frame, and a retry).
		app.type('\tq');
		const code = await app.exited;
		expect(code).toBe(0);
		const tail = app.raw.slice(app.raw.lastIndexOf('\u001B[?1049h'));
		expect(tail).toContain('\u001B[?1049l'); // Left the alternate screen…
		expect(tail).toContain('\u001B[?25h'); // …and showed the cursor again.
	}, 60_000);

	it('shrinks to one pane, then to one line, and grows back, keys and paste arriving whole', async () => {
		app = new PtyScreen(['--port', '0', '--no-history'], {columns: 100, rows: 30});
		await app.waitFor(screen => screen.includes('← Welcome!'));
		// A paste bigger than one terminal read (4,095 bytes), in one write.
		const long = 'p'.repeat(5000);
		app.type(`${long}\r`);
		await app.waitFor(screen => screen.includes('← Hello, pppp'));
		app.resize(40, 12);
		await app.waitFor(screen => screen.includes('Client →') && !screen.includes('PEER') && screen.split('\n')[0]!.trimEnd().length === 40);
		app.resize(15, 5);
		await app.waitFor(screen => screen.includes('too small'));
		app.resize(100, 30);
		const grown = await app.waitFor(screen => screen.includes('PEER') && screen.includes('Client →'));
		expect(grown.split('\n')[0]).toMatch(/^╭─+╮╭─+╮$/);
		// Every line sent in a burst arrives, in order.
		app.type('one\rtwo\rthree\r');
		await app.waitFor(screen => screen.includes('← Hello, one!') && screen.includes('← Hello, two!') && screen.includes('← Hello, three!'));
		app.type('\u0003');
		expect(await app.exited).toBe(0);
	}, 60_000);

	it.each(['SIGTERM', 'SIGINT', 'SIGHUP'])('exits 0 and restores the terminal on %s', async signal => {
		app = new PtyScreen(['serve', '--port', '0']);
		await app.waitFor(screen => screen.includes('listening') || /TCP 127\.0\.0\.1:\d+/.test(screen));
		app.pty.kill(signal);
		expect(await app.exited).toBe(0);
		expect(app.raw.slice(app.raw.lastIndexOf('\u001B[?1049h'))).toContain('\u001B[?1049l');
	}, 30_000);

	it('restores the terminal and exits 1 on an uncaught exception in a handler', async () => {
		const {fileURLToPath} = await import('node:url');
		const harness = fileURLToPath(new URL('../fixtures/crash-after-first-output.js', import.meta.url));
		app = new PtyScreen(['serve', '--port', '0', '--no-history'], {nodeArgs: ['--import', harness]});
		expect(await app.exited).toBe(1);
		const tail = app.raw.slice(app.raw.lastIndexOf('\u001B[?1049h'));
		expect(tail).toContain('\u001B[?1049l');
		expect(tail).toContain('\u001B[?25h');
		expect(app.raw).toContain('socket-tui: unexpected failure: boom in a handler');
		expect(app.raw).not.toContain('    at ');
	}, 30_000);
});

describe('what the screen says is in time order', () => {
	it('/send FILE, then /save: "sent 2 of 2 lines" stands after the reply it came after, in the saved transcript', async () => {
		const {mkdtempSync, readFileSync, writeFileSync} = await import('node:fs');
		const {join} = await import('node:path');
		const {tmpdir} = await import('node:os');
		const dir = mkdtempSync(join(tmpdir(), 'socket-tui-order-'));
		writeFileSync(join(dir, 'names.txt'), 'Ann\nBob\n');
		app = new PtyScreen(['--port', '0', '--no-history']);
		await app.waitFor(screen => screen.includes('← Welcome!'));
		app.type(`/send ${join(dir, 'names.txt')}\r`);
		await app.waitFor(screen => screen.includes('sent 2 of 2 lines'));
		app.type(`/save ${join(dir, 't.txt')}\r`);
		await app.waitFor(screen => screen.includes('saved'));
		const saved = readFileSync(join(dir, 't.txt'), 'utf8');
		// Bob goes once Ann's reply came; the notice comes when Bob has gone (before Bob's reply).
		const order = ['Hello, Ann!', '> Bob', 'sent 2 of 2 lines'].map(text => saved.indexOf(text));
		expect(order.every(index => index >= 0), saved).toBe(true);
		expect([...order].sort((a, b) => a - b), saved).toEqual(order);
		// And the saved lines' times never go back, whichever path each line came by.
		const times = saved.split('\n').filter(line => /^\d{4}-/.test(line)).map(line => line.slice(0, 23));
		expect([...times].sort(), saved).toEqual(times);
	}, 30_000);
});

describe('width tricks from a peer', () => {
	it('regional indicators, ZWJ sequences and fillers are shown as escapes: the borders stay where they are', async () => {
		app = new PtyScreen(['serve', '--port', '0', '--no-udp'], {columns: 100, rows: 20});
		const first = await app.waitFor(screen => screen.includes('TCP 127.0.0.1:'));
		const port = Number(/TCP 127\.0\.0\.1:(\d+)/.exec(first)![1]);
		const peer = await Peer.connect(port);
		const flags = String.fromCodePoint(...Array.from({length: 15}, (_, index) => 0x1F1E6 + index));
		peer.write(`${flags}👩\u200D👩\u200D👧\u3164\n`);
		// A whole frame with the escapes in it (a frame can be read while Ink is still writing it):
		// with the flags drawn wider than counted, no frame is whole, and this times out.
		const whole = (text: string): boolean => {
			const lines = text.split('\n');
			return /^(╭─+╮)+$/.test(lines[0] ?? '') && lines.filter(line => line.startsWith('│')).every(line => line.endsWith('│'));
		};

		const screen = await app.waitFor(text => text.includes('\\u{1f1e6}') && whole(text));
		expect(screen.split('\n')[0]).toMatch(/^(╭─+╮)+$/);
		peer.socket.destroy();
	}, 30_000);
});
