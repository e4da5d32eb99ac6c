import {randomBytes} from 'node:crypto';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {Framer, type FramedMessage} from '../../source/protocol/framing.js';
import {terminalSafe} from '../../source/protocol/terminal-safe.js';
import {terminalSafeBytes} from '../../source/protocol/escape-bytes.js';

function frame(chunks: readonly Buffer[], framing: 'line' | 'chunk' = 'line', maxLine = 1024): FramedMessage[] {
	const messages: FramedMessage[] = [];
	const framer = new Framer({framing, maxLine, idleFlushMs: 150, onMessage: message => messages.push({...message, bytes: Buffer.from(message.bytes)})});
	for (const chunk of chunks) {
		framer.push(chunk);
	}

	// Empty lines after the last message come back from end(): the connection's end carries them.
	const rest = framer.end();
	if (rest.length > 0) {
		messages.push({bytes: Buffer.alloc(0), partial: false, ending: Buffer.alloc(0), skipped: rest});
	}

	framer.dispose();
	return messages;
}

const wire = (messages: readonly FramedMessage[]): Buffer => Buffer.concat(messages.flatMap(message => [message.skipped, message.bytes, message.ending]));

describe('a framed message carries its exact line ending and the blank lines before it', () => {
	it('tells LF, CRLF, and no ending apart', () => {
		const messages = frame([Buffer.from('a\r\n\n\r\nb\nc')]);
		expect(messages.map(message => [message.bytes.toString(), message.ending.toString(), message.skipped.toString()])).toEqual([
			['a', '\r\n', ''],
			['b', '\n', '\n\r\n'],
			['c', '', ''],
		]);
	});

	it('gives back every byte of the stream, whatever it holds and however it is cut', () => {
		const piece = fc.oneof(fc.constantFrom('\n', '\r\n', '\r', 'abc', 'é', ''), fc.uint8Array({maxLength: 20}).map(bytes => Buffer.from(bytes).toString('latin1')));
		fc.assert(fc.property(fc.array(piece, {maxLength: 20}), fc.array(fc.nat(), {maxLength: 6}), fc.constantFrom(16, 1024), fc.constantFrom('line', 'chunk'), (pieces, cuts, maxLine, framing) => {
			const bytes = Buffer.from(pieces.join(''), 'latin1');
			const points = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
			const chunks = [...points, bytes.length].map((point, index, all) => bytes.subarray(index === 0 ? 0 : all[index - 1], point)).filter(chunk => chunk.length > 0);
			expect(wire(frame(chunks, framing as 'line' | 'chunk', maxLine))).toEqual(bytes);
		}), {numRuns: 500});
	});

	it('keeps a megabyte of random binary exact', () => {
		const bytes = randomBytes(1024 * 1024);
		const chunks = Array.from({length: 64}, (_, index) => bytes.subarray(index * 16_384, (index + 1) * 16_384));
		expect(wire(frame(chunks)).equals(bytes)).toBe(true);
	});
});

describe('the text view escapes what is not text, and tells a bad byte from a C1 character', () => {
	it('shows an invalid byte as \\xNN and U+0085 as \\u0085', () => {
		expect(terminalSafeBytes(Buffer.from([0x48, 0xFF, 0xC2, 0x85, 0x85]))).toBe('H\\xff\\u0085\\x85');
		expect(terminalSafe('\u009B2J')).toBe('\\u009b2J');
		expect(terminalSafeBytes(Buffer.from('\uFFFD'))).toBe('\uFFFD');
	});
});
