import {afterEach, describe, expect, it, vi} from 'vitest';
import {Framer, type FramedMessage} from '../../source/protocol/framing.js';

function framer(options: Partial<ConstructorParameters<typeof Framer>[0]> = {}): {framer: Framer; messages: string[]; overflows: number[]} {
	const messages: string[] = [];
	const overflows: number[] = [];
	const instance = new Framer({
		framing: 'line',
		maxLine: 1024,
		idleFlushMs: 150,
		onMessage: ({bytes, partial}: FramedMessage) => messages.push(bytes.toString() + (partial ? '…' : '')),
		onOverflow: size => overflows.push(size),
		...options,
	});
	return {framer: instance, messages, overflows};
}

afterEach(() => {
	vi.useRealTimers();
});

describe('line framing', () => {
	it('gives the same messages wherever the stream is cut', () => {
		const stream = 'Michael\r\nTracy\n\nSarah\nexit\n';
		for (let cut = 0; cut <= stream.length; cut++) {
			const {framer: instance, messages} = framer();
			instance.push(Buffer.from(stream.slice(0, cut)));
			instance.push(Buffer.from(stream.slice(cut)));
			expect(messages, `cut at ${cut}`).toEqual(['Michael', 'Tracy', 'Sarah', 'exit']);
			instance.dispose();
		}
	});

	it('delivers an unterminated tail after the idle time, not before', () => {
		vi.useFakeTimers();
		const {framer: instance, messages} = framer();
		instance.push(Buffer.from('Mich'));
		vi.advanceTimersByTime(100);
		instance.push(Buffer.from('ael'));
		vi.advanceTimersByTime(149);
		expect(messages).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(messages).toEqual(['Michael']);
	});

	it('delivers the tail at end()', () => {
		const {framer: instance, messages} = framer();
		instance.push(Buffer.from('a\nb'));
		instance.end();
		expect(messages).toEqual(['a', 'b']);
	});

	it('cuts a line longer than maxLine into pieces, warns once, and loses no byte', () => {
		const {framer: instance, messages, overflows} = framer({maxLine: 16});
		instance.push(Buffer.from('x'.repeat(20)));
		instance.push(Buffer.from('y'.repeat(20) + '\nshort\n'));
		expect(overflows).toHaveLength(1);
		expect(messages).toEqual(['x'.repeat(16) + '…', 'xxxx' + 'y'.repeat(12) + '…', 'y'.repeat(8), 'short']);
		instance.push(Buffer.from('z'.repeat(17) + '\n'));
		expect(overflows).toHaveLength(2);
	});

	it('keeps memory bounded by maxLine for a peer that never sends a newline', () => {
		const {framer: instance} = framer({maxLine: 1024});
		for (let index = 0; index < 1000; index++) {
			instance.push(Buffer.alloc(4096, 0x61));
			expect(instance.buffered).toBeLessThanOrEqual(1024);
		}
	});
});

describe('chunk framing', () => {
	it('makes one message of each read, dropping one trailing EOL', () => {
		const {framer: instance, messages} = framer({framing: 'chunk'});
		instance.push(Buffer.from('Mic'));
		instance.push(Buffer.from('hael\r\n'));
		instance.push(Buffer.from('a\nb\n'));
		expect(messages).toEqual(['Mic', 'hael', 'a\nb']);
	});
});
