import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {toPayload, payloadBytes} from '../../source/protocol/payload.js';
import {hexBytes, terminalSafe} from '../../source/protocol/terminal-safe.js';

// Anything a terminal could act on: C0, DEL, C1 (incl. the 8-bit CSI/OSC/DCS), bidi controls.
const dangerous = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

describe('terminal-safe display of remote bytes', () => {
	it('neutralises screen clears, titles, clipboard writes and bidi overrides', () => {
		const hostile = '\u001B[2J\u001B]0;owned\u0007\u001B]52;c;aGk=\u0007\u001BP1$q\u001B\\\u009B31m\u202Eevil';
		const shown = terminalSafe(hostile);
		expect(shown).toBe('\\e[2J\\e]0;owned\\x07\\e]52;c;aGk=\\x07\\eP1$q\\e\\\\\\u009b31m\\u202eevil');
		expect(dangerous.test(shown)).toBe(false);
	});

	it('keeps ordinary text, accents and emoji as they are', () => {
		expect(terminalSafe('Hello, Zoë 👋 — 你好')).toBe('Hello, Zoë 👋 — 你好');
	});

	it('shows no control, C1, ESC or bidi character for any bytes, while the payload keeps them exactly', () => {
		fc.assert(fc.property(fc.uint8Array({maxLength: 256}), bytes => {
			const payload = toPayload(Buffer.from(bytes));
			expect(dangerous.test(terminalSafe(payload.text))).toBe(false);
			expect(payloadBytes(payload)).toEqual(Buffer.from(bytes));
		}), {numRuns: 2000});
	});

	it('shows no dangerous character for any string either', () => {
		fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 200}), text => {
			expect(dangerous.test(terminalSafe(text))).toBe(false);
		}), {numRuns: 2000});
	});

	it('formats bytes as hex, bounded', () => {
		expect(hexBytes(Buffer.from('Hi\u001B'))).toBe('48 69 1b');
		expect(hexBytes(Buffer.alloc(5), 2)).toBe('00 00 … (5 B)');
	});
});
