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
