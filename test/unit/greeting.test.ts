import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {greetingResponder, replyLength} from '../../source/protocol/greeting.js';

const peer = {address: '127.0.0.1', port: 5, family: 'IPv4'} as const;

describe('greetingResponder', () => {
	it('answers from the text when it is exact, with the same bytes as from the message', () => {
		for (const eol of ['lf', 'crlf', 'none'] as const) {
			const responder = greetingResponder(eol);
			fc.assert(fc.property(fc.string({unit: 'grapheme', maxLength: 30}), text => {
				const message = Buffer.from(text, 'utf8');
				const fromText = responder.reply(message, peer, text)!;
				const fromBytes = responder.reply(message, peer)!;
				expect(typeof fromText).toBe('string');
				expect(Buffer.from(fromText as string, 'utf8')).toEqual(fromBytes);
				expect(replyLength(fromText)).toBe(replyLength(fromBytes));
			}), {numRuns: 300});
		}
	});

	it('echoes invalid UTF-8 byte for byte', () => {
		const message = Buffer.from([0xFF, 0x00, 0xC3]);
		const reply = greetingResponder('lf').reply(message, peer);
		expect(reply).toEqual(Buffer.concat([Buffer.from('Hello, '), message, Buffer.from('!\n')]));
	});
});
