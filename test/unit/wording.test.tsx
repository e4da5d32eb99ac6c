import {render} from 'ink-testing-library';
import React from 'react';
import {describe, expect, it} from 'vitest';
import {describeEvent} from '../../source/sinks/text-log.js';
import {GetProgress} from '../../source/ui/GetProgress.js';

describe('wording', () => {
	it('says 1 message, not 1 messages', () => {
		const line = describeEvent({type: 'conn.close', ts: 0, id: 1, reason: 'eof', bytesIn: 1, bytesOut: 1, messagesIn: 1, durationMs: 1});
		expect(line).toContain('after 1 message,');
	});

	it('groups the digits of byte counts in summaries as in the per-read lines (65,536 B and 65,536 bytes)', () => {
		expect(describeEvent({type: 'relay.close', ts: 0, id: 1, reason: 'closed', bytesUp: 65_536, bytesDown: 240_204, durationMs: 1000})).toBe('#1 closed (closed) · 65,536 B up, 240,204 B down, 1.00 s');
		expect(describeEvent({type: 'conn.close', ts: 0, id: 1, reason: 'eof', bytesIn: 1234, bytesOut: 5, messagesIn: 2, durationMs: 1})).toBe('#1 closed (eof) after 2 messages, 1,234 B in, 5 B out');
	});

	it('get\'s progress names binary units, as it computes them', () => {
		const {lastFrame, unmount} = render(<GetProgress url="http://h/" bytes={3 * 1024 * 1024} total={4 * 1024 * 1024} elapsedMs={1000} />);
		expect(lastFrame()).toContain('3.0 MiB');
		expect(lastFrame()).toContain('4.0 MiB');
		expect(lastFrame()).not.toMatch(/\d MB/);
		unmount();
	});
});

describe('fit', () => {
	it('never draws wider than asked, whatever characters are cut', async () => {
		const {fit} = await import('../../source/ui/format.js');
		const {default: stringWidth} = await import('string-width');
		for (const text of ['"中文中文中文中文中文中文', 'a"p3 😀 third', '中文中文', 'ab中']) {
			for (let width = 1; width < 14; width++) {
				expect(stringWidth(fit(text, width)), `${text} in ${width}`).toBe(width);
			}
		}
	});
});
