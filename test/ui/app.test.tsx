import {describe, expect, it} from 'vitest';
import {Peer} from '../helpers/peer.js';
import {effectsSettled, frameWith, startApp, tick} from '../helpers/ui.js';

describe('App', () => {
	it('shows the welcome, and typing Michael + Enter shows the reply', async () => {
		const {lastFrame, stdin} = await startApp();
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('Michael');
		await tick();
		stdin.write('\r');
		const frame = await frameWith(lastFrame, text => text.includes('← Hello, Michael!'));
		expect(frame).toContain('→ Michael');
	});
});

describe('ServerPane in the App', () => {
	it('lists connections; ↑/↓ select, Enter opens the transcript, Esc goes back, k kicks', async () => {
		const {lastFrame, stdin, log, engine: running} = await startApp('serve');
		await frameWith(lastFrame, frame => frame.includes('● TCP'));
		const port = running.server!.address!.port;
		const outsider = await Peer.connect(port);
		outsider.write('from outside\n');
		await frameWith(lastFrame, frame => frame.includes('"from outside"'));
		await effectsSettled();
		stdin.write('\u001B[B'); // Down: the outsider's row
		await frameWith(lastFrame, frame => /▸ 127\.0\.0\.1:\d+ +open .*"from outside"/.test(frame));
		await effectsSettled();
		stdin.write('\r');
		const transcript = await frameWith(lastFrame, frame => frame.includes('Esc back'));
		expect(transcript).toContain('← from outside');
		expect(transcript).toContain('→ Hello, from outside!');
		stdin.write('\u001B');
		await tick();
		// Back on the list, and the pane still has the focus.
		await frameWith(lastFrame, frame => frame.includes('PEER') && frame.includes('● TCP'));
		await effectsSettled();
		stdin.write('k');
		await log.waitFor('conn.close', event => event.reason === 'kicked');
		await frameWith(lastFrame, frame => frame.includes('(kicked)'));
		await outsider.waitForClose();
	});
});
