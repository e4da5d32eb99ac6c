import {describe, expect, it} from 'vitest';
import {startFakeApp} from '../helpers/fake-app.js';
import {effectsSettled, frameWith} from '../helpers/ui.js';

describe('/timeline', () => {
	it('times a connection\'s lines from its start and marks a long wait, so a slow reply stands out', async () => {
		const app = startFakeApp('serve', {rows: 20, columns: 110});
		const opened = app.store.rows.get(1)!.openedAt;
		app.bus.emit({type: 'conn.message', ts: opened + 5, id: 1, text: 'ping'});
		app.bus.emit({type: 'conn.reply', ts: opened + 1255, id: 1, kind: 'reply', text: 'pong\n'});
		app.store.setTimeline(true);
		await frameWith(app.lastFrame, frame => frame.includes('PEER'));
		await effectsSettled();
		app.stdin.write('\r');
		const frame = await frameWith(app.lastFrame, frame => frame.includes('+0.005s  ← ping'));
		expect(frame).toContain('+1.255s  → pong ⏱ 1250 ms');
		app.store.setTimeline(false);
		await frameWith(app.lastFrame, frame => !frame.includes('+0.005s') && frame.includes('← ping'));
		app.dispose();
	});
});

describe('the help overlay', () => {
	it('says how many lines did not fit instead of cutting them silently', async () => {
		const app = startFakeApp('all', {rows: 20, columns: 100});
		await frameWith(app.lastFrame, frame => frame.includes('PEER'));
		await effectsSettled();
		app.stdin.write('\u001B?');
		const frame = await frameWith(app.lastFrame, frame => frame.includes('socket-tui keys'));
		expect(frame).toMatch(/… \d+ more lines: a taller window shows them/);
		app.dispose();
	});
});
