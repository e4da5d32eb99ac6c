import {describe, expect, it} from 'vitest';
import {effectsSettled, frameWith, startApp, tick} from '../helpers/ui.js';

describe('ClientPane', () => {
	it('lists the commands on /help and says what is unknown', async () => {
		const {lastFrame, stdin} = await startApp('connect', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('/help\r');
		await frameWith(lastFrame, frame => frame.includes('/udp [HOST:PORT] TEXT'));
		stdin.write('/frobnicate\r');
		await frameWith(lastFrame, frame => frame.includes('unknown command /frobnicate'));
	});

	it('sends each line of a paste, and walks the history with ↑ and ↓', async () => {
		const {lastFrame, stdin} = await startApp('connect', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('Tracy\rSarah\r');
		await frameWith(lastFrame, frame => frame.includes('← Hello, Tracy!') && frame.includes('← Hello, Sarah!'));
		stdin.write('\u001B[A'); // ↑: the last line sent
		await frameWith(lastFrame, frame => frame.includes('› Sarah'));
		stdin.write('\u001B[A');
		await frameWith(lastFrame, frame => frame.includes('› Tracy'));
		stdin.write('\u001B[B');
		await frameWith(lastFrame, frame => frame.includes('› Sarah'));
		stdin.write('\r');
		await frameWith(lastFrame, frame => (frame.match(/← Hello, Sarah!/g) ?? []).length === 2);
	});

	it('shows a refused /connect with its reason, and exit closes the connection', async () => {
		const {lastFrame, stdin, log} = await startApp('connect', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('exit\r');
		await frameWith(lastFrame, frame => frame.includes('closed (connection closed by the server)'));
		// The connection's summary, like curl -w.
		await frameWith(lastFrame, frame => /summary: 1 sent \(5 B\), 1 received \(9 B\) in [\d.]+ s, connect [\d.]+ ms/.test(frame));
		stdin.write('hello?\r');
		await frameWith(lastFrame, frame => frame.includes('not connected — /connect HOST:PORT'));
		// A port the OS just gave out and took back: nothing listens there.
		const {createServer} = await import('node:net');
		const probe = createServer();
		await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
		const closedPort = (probe.address() as {port: number}).port;
		await new Promise<void>(resolve => probe.close(() => {
			resolve();
		}));
		stdin.write(`/connect 127.0.0.1:${closedPort}\r`);
		await log.waitFor('client.state', event => event.state === 'refused');
		await frameWith(lastFrame, frame => frame.includes(`refused (connection refused by 127.0.0.1:${closedPort})`));
	});

	it('sends a datagram with /udp, and it shows in the UDP feed with the reply', async () => {
		const {lastFrame, stdin} = await startApp('all', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('/udp hello datagram\r');
		await frameWith(lastFrame, frame => frame.includes('→ "hello datagram"') && frame.includes('← "Hello, hello datagram!'));
		expect(lastFrame()).toMatch(/2 datagrams|2 · /);
		// The reply in the client's transcript too, as text.
		await frameWith(lastFrame, frame => frame.includes('← Hello, hello datagram!') && !frame.includes('datagram!\\n'));
	});

	it('clears its transcript with /clear', async () => {
		const {lastFrame, stdin} = await startApp('connect', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('/clear\r');
		await tick();
		await frameWith(lastFrame, frame => !frame.includes('Welcome!'));
	});
});

describe('keys', () => {
	it('? shows the help, Esc closes it; x toggles hex; q quits outside the input', async () => {
		const {lastFrame, stdin, engine} = await startApp('serve', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('● TCP'));
		const {Peer} = await import('../helpers/peer.js');
		const peer = await Peer.connect(engine.server!.address!.port);
		peer.write('Hi\n');
		await frameWith(lastFrame, frame => frame.includes('"Hi"'));
		stdin.write('?');
		await frameWith(lastFrame, frame => frame.includes('socket-tui keys'));
		stdin.write('\u001B');
		await tick();
		await frameWith(lastFrame, frame => !frame.includes('socket-tui keys') && frame.includes('● TCP'));
		await effectsSettled();
		stdin.write('x');
		await frameWith(lastFrame, frame => frame.includes('"48 69"') && frame.includes('HEX'));
		peer.socket.destroy();
	});

	it('the ? help at 80×24 wraps its lines (none cut off) and scrolls with ↑↓ PgUp PgDn Home End, slowly and in one burst', async () => {
		const {lastFrame, stdin} = await startApp('all', {rows: 24, columns: 80});
		await frameWith(lastFrame, text => text.includes('← Welcome!'));
		stdin.write('\u001B'); // Leave the input box: ? is a key there.
		await tick();
		stdin.write('?');
		let frame = await frameWith(lastFrame, text => text.includes('socket-tui keys'));
		const total = Number(/lines 1–\d+ of (\d+)/.exec(frame)![1]);
		expect(frame).not.toMatch(/…│?$/m);
		expect(frame).toContain('move the focus between panes (the focused one has a ●)');
		// Down to the end, one key at a time and then in a burst: the last line is the last command.
		stdin.write('\u001B[6~');
		frame = await frameWith(lastFrame, text => /lines (\d+)–/.exec(text)?.[1] !== '1');
		stdin.write('\u001B[6~\u001B[6~\u001B[6~\u001B[6~\u001B[6~');
		frame = await frameWith(lastFrame, text => text.includes(`of ${total},`) && new RegExp(`–${total} of ${total}`).test(text));
		stdin.write('\u001B[H');
		frame = await frameWith(lastFrame, text => /lines 1–\d+ of/.test(text));
		stdin.write('\u001B[B\u001B[B');
		frame = await frameWith(lastFrame, text => /lines 3–\d+ of/.test(text));
		for (const line of frame.split('\n')) {
			expect([...line].length).toBeLessThanOrEqual(80);
		}

		stdin.write('\u001B');
		await frameWith(lastFrame, text => !text.includes('socket-tui keys'));
	});

	it('the ? help loses no word at any width from 24 to 120 columns (narrow: each key above its description)', async () => {
		const {helpLines} = await import('../../source/ui/HelpOverlay.js');
		const {columns} = await import('../../source/ui/format.js');
		for (const [relay, replay] of [[false, false], [true, false], [false, true]] as const) {
			const words = (lines: string[]): string[] => lines.join(' ').split(/\s+/).filter(Boolean);
			const wide = words(helpLines(400, relay, replay));
			for (let width = 24; width <= 120; width++) {
				const lines = helpLines(width, relay, replay);
				expect(lines.every(line => columns(line) <= width - 4), `${width}`).toBe(true);
				expect(lines.some(line => line.includes('…') && !wide.some(word => word.includes('…')))).toBe(false);
				// A word split across lines comes back when the lines are joined without their indent.
				expect(lines.map(line => line.trim()).join('').replaceAll(' ', ''), `${width}`).toBe(wide.join(''));
			}
		}
	});

	it('fits 80×24 and keeps every line inside the width', async () => {
		const {lastFrame} = await startApp('all', {rows: 24, columns: 80});
		const frame = await frameWith(lastFrame, text => text.includes('← Welcome!'));
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		for (const line of lines) {
			expect([...line].length).toBeLessThanOrEqual(80);
		}
	});
});

describe('transcripts', () => {
	it('filters by direction and text, saves as text and as NDJSON with exact bytes, and /send sends a file', async () => {
		const {mkdtemp, readFile, rm, writeFile} = await import('node:fs/promises');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		const dir = await mkdtemp(join(tmpdir(), 'socket-tui-transcript-'));
		try {
			const {lastFrame, stdin} = await startApp('connect', {rows: 30});
			await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
			const script = join(dir, 'names.txt');
			await writeFile(script, 'Michael\nTracy\n');
			stdin.write(`/send ${script}\r`);
			await frameWith(lastFrame, frame => frame.includes('← Hello, Tracy!') && frame.includes('sent 2 of 2 lines'));
			stdin.write('/filter out\r');
			await frameWith(lastFrame, frame => frame.includes('→ Michael') && !frame.includes('← Hello, Michael!'));
			stdin.write('/filter in tracy\r');
			await frameWith(lastFrame, frame => frame.includes('← Hello, Tracy!') && !frame.includes('→ Michael'));
			stdin.write('/filter\r');
			await frameWith(lastFrame, frame => frame.includes('→ Michael') && frame.includes('← Hello, Michael!'));
			const text = join(dir, 'chat.txt');
			stdin.write(`/save ${text}\r`);
			await frameWith(lastFrame, frame => frame.includes(`saved`) && frame.includes('chat.txt'));
			expect(await readFile(text, 'utf8')).toMatch(/> Michael\n.*< Hello, Michael! {2}\([\d.]+ ms\)/);
			const ndjson = join(dir, 'chat.ndjson');
			stdin.write(`/save ${ndjson}\r`);
			await frameWith(lastFrame, frame => frame.includes('chat.ndjson'));
			const events = (await readFile(ndjson, 'utf8')).trim().split('\n').map(line => JSON.parse(line) as {direction: string; text: string});
			expect(events.filter(event => event.direction === 'out').map(event => event.text)).toEqual(['Michael', 'Tracy']);
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
});
