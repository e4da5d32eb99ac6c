import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {payloadPrefix} from '../../source/protocol/payload.js';
import {pythonBytes} from '../../source/protocol/python-bytes.js';
import {startFakeApp} from '../helpers/fake-app.js';
import {effectsSettled, frameWith} from '../helpers/ui.js';

describe('a very long line', () => {
	it('is shown by its start (text) and its end (hex), without the screen spending a frame on all of it', async () => {
		const app = startFakeApp('serve', {rows: 1, height: 20, columns: 100});
		// 4 MB: drawn whole at every frame, the screen froze for minutes.
		const long = `${'F'.repeat(4 * 1024 * 1024 - 3)}END`;
		app.bus.emit({type: 'conn.message', ts: Date.now(), id: 1, text: long});
		await frameWith(app.lastFrame, frame => frame.includes('"FFFF'));
		await effectsSettled();
		app.stdin.write('\r');
		await frameWith(app.lastFrame, frame => frame.includes('← FFFFFFFF'));
		app.stdin.write('\u001Bx');
		await effectsSettled();
		app.stdin.write('\r');
		// The hex view's last row: the line's last bytes at their true offset (4 MB + its \n).
		const hex = await frameWith(app.lastFrame, frame => frame.includes('|FFFFFEND|'));
		expect(hex).toMatch(/3ffff8 {2}46 46 46 46 46 45 4e 44 {2}\|FFFFFEND\|/);
		expect(hex).toMatch(/400000 {2}0a {2}/);
		app.dispose();
	}, 20_000);

	it('is counted, not decoded, for its start: the prefix is the bytes\' start and the total exact, text or base64', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 300}), fc.boolean(), fc.integer({min: 0, max: 100}), (raw, asText, max) => {
			const bytes = Buffer.from(raw);
			const text = bytes.toString('utf8');
			const payload = asText ? {text} : {text, base64: bytes.toString('base64')};
			const exact = asText ? Buffer.from(text, 'utf8') : bytes;
			const start = payloadPrefix(payload, max);
			expect(start.total).toBe(exact.length);
			expect(start.bytes.equals(exact.subarray(0, max))).toBe(true);
			// What the tutorial's calls show (48 bytes at most) is the same from 48 bytes on.
			if (max >= 48) {
				expect(pythonBytes(start.bytes, start.total)).toBe(pythonBytes(exact));
			}
		}), {numRuns: 500});
	});
});
