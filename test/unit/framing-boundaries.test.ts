import {isUtf8} from 'node:buffer';
import fc from 'fast-check';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Framer} from '../../source/protocol/framing.js';
import {incompleteUtf8Tail} from '../../source/protocol/utf8.js';

afterEach(() => {
	vi.useRealTimers();
});

const idleFlushMs = 150;

function collect(maxLine = 1024): {framer: Framer; messages: Buffer[]} {
	const messages: Buffer[] = [];
	const framer = new Framer({framing: 'line', maxLine, idleFlushMs, onMessage: ({bytes}) => messages.push(Buffer.from(bytes))});
	return {framer, messages};
}

describe('framing never cuts inside a character or a line ending', () => {
	it('answers J\\xc3, a 0.3 s pause, then \\xbcrgen\\n as one message: Jürgen', () => {
		vi.useFakeTimers();
		const {framer, messages} = collect();
		framer.push(Buffer.from([0x4A, 0xC3]));
		vi.advanceTimersByTime(300);
		framer.push(Buffer.from([0xBC, ...Buffer.from('rgen\n')]));
		expect(messages.map(message => message.toString())).toEqual(['Jürgen']);
	});

	it('holds a trailing CR over the idle flush, so CR and LF are never split', () => {
		vi.useFakeTimers();
		const {framer, messages} = collect();
		framer.push(Buffer.from('Michael\r'));
		vi.advanceTimersByTime(300);
		framer.push(Buffer.from('\n'));
		expect(messages.map(message => message.toString())).toEqual(['Michael']);
	});

	it('still delivers a held tail after a second, longer wait, and at EOF', () => {
		vi.useFakeTimers();
		const {framer, messages} = collect();
		framer.push(Buffer.from([0x4A, 0xC3]));
		vi.advanceTimersByTime(10_000);
		expect(messages).toEqual([Buffer.from([0x4A, 0xC3])]);
		framer.push(Buffer.from([0xE2, 0x82]));
		framer.end();
		expect(messages[1]).toEqual(Buffer.from([0xE2, 0x82]));
	});

	it('cuts a line longer than --max-line between characters', () => {
		const {framer, messages} = collect(16);
		const line = 'ab' + '€'.repeat(10); // 2 + 30 bytes: a cut at 16 would split a €.
		framer.push(Buffer.from(`${line}\n`));
		expect(messages.every(message => isUtf8(message))).toBe(true);
		expect(Buffer.concat(messages).toString()).toBe(line);
		expect(messages.every(message => message.length <= 16)).toBe(true);
	});

	it('keeps every message whole UTF-8, and every byte, over random splits and pauses shorter than the hold (150 + 1000 ms)', () => {
		const text = fc.string({unit: fc.constantFrom('a', 'é', '€', '😀', 'ü', ' ', '1'), maxLength: 40});
		const lines = fc.array(fc.tuple(text, fc.constantFrom('\n', '\r\n')), {minLength: 1, maxLength: 8});
		fc.assert(fc.property(lines, fc.array(fc.nat(), {maxLength: 30}), fc.array(fc.constantFrom(0, 0, 50, 149, 150, 400, 1100)), fc.constantFrom(16, 17, 64, 1024), (parts, cuts, pauses, maxLine) => {
			vi.useFakeTimers();
			const bytes = Buffer.from(parts.map(([content, ending]) => content + ending).join(''));
			const {framer, messages} = collect(maxLine);
			const points = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
			let start = 0;
			for (const [index, point] of [...points, bytes.length].entries()) {
				framer.push(bytes.subarray(start, point));
				vi.advanceTimersByTime(pauses[index % Math.max(1, pauses.length)] ?? 0);
				start = point;
			}

			framer.end();
			vi.useRealTimers();
			for (const message of messages) {
				expect(isUtf8(message), `message ${JSON.stringify(message.toString('latin1'))}`).toBe(true);
				expect(message.at(-1)).not.toBe(0x0D);
			}

			expect(Buffer.concat(messages).toString()).toBe(parts.map(([content]) => content).join(''));
		}), {numRuns: 500});
	});
});

describe('incompleteUtf8Tail', () => {
	it.each([
		[[0x41], 0],
		[[0x41, 0xC3], 1],
		[[0xC3, 0xBC], 0],
		[[0xE2, 0x82], 2],
		[[0xE2, 0x82, 0xAC], 0],
		[[0xF0, 0x9F, 0x98], 3],
		[[0xE0, 0x80], 0], // Overlong: no valid character starts E0 80.
		[[0xED, 0xA0], 0], // A surrogate: not valid UTF-8.
		[[0xF5], 0],
		[[0x80, 0x80, 0x80], 0],
	])('%j → %i', (bytes, expected) => {
		expect(incompleteUtf8Tail(Buffer.from(bytes))).toBe(expected);
	});
});
