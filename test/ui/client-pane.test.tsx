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
		stdin.write('hello?\r');
		await frameWith(lastFrame, frame => frame.includes('not connected — /connect HOST:PORT'));
		stdin.write('/connect 127.0.0.1:1\r');
		await log.waitFor('client.state', event => event.state === 'refused');
		await frameWith(lastFrame, frame => frame.includes('refused (connection refused by 127.0.0.1:1)'));
	});

	it('sends a datagram with /udp, and it shows in the UDP feed with the reply', async () => {
		const {lastFrame, stdin} = await startApp('all', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('/udp hello datagram\r');
		await frameWith(lastFrame, frame => frame.includes('→ "hello datagram"') && frame.includes('← "Hello, hello datagram!'));
		expect(lastFrame()).toMatch(/2 datagrams|2 · /);
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
