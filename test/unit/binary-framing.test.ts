import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {BinaryFramer, binaryFraming, encodeFrame} from '../../source/protocol/binary-framing.js';
import type {FramedMessage} from '../../source/protocol/framing.js';

const framings = ['len:u8', 'len:u16be', 'len:u16le', 'len:u32be', 'len:u32le', 'delim:00', 'delim:0d0a', 'delim:deadbeef'] as const;

/** Feeds `wire` in pieces cut at `cuts`; returns the messages. */
function frame(framing: string, wire: Buffer, cuts: readonly number[], maxLine = 1024): FramedMessage[] {
	const messages: FramedMessage[] = [];
	const framer = new BinaryFramer(binaryFraming(framing)!, {maxLine, onMessage: message => messages.push({...message, bytes: Buffer.from(message.bytes)})});
	let from = 0;
	for (const cut of [...cuts].sort((a, b) => a - b)) {
		framer.push(wire.subarray(from, Math.max(from, Math.min(cut, wire.length))));
		from = Math.max(from, Math.min(cut, wire.length));
	}

	framer.push(wire.subarray(from));
	framer.end();
	return messages;
}

describe('binary framing', () => {
	it('gives back every frame, whatever the reads, and the wire bytes exactly (prefix as skipped, delimiter as ending)', () => {
		fc.assert(fc.property(fc.constantFrom(...framings), fc.array(fc.uint8Array({maxLength: 300}), {maxLength: 8}), fc.array(fc.nat({max: 3000}), {maxLength: 10}), (framing, payloads, cuts) => {
			const spec = binaryFraming(framing)!;
			// A delimiter framing cannot carry payloads that contain the delimiter.
			const messages = payloads.map(payload => Buffer.from(payload)).filter(payload => spec.kind === 'len' || !payload.includes(spec.delimiter));
			const wire = Buffer.concat(messages.map(payload => encodeFrame(spec, payload)));
			const got = frame(framing, wire, cuts);
			expect(got.map(message => message.bytes)).toEqual(messages);
			expect(got.every(message => !message.partial)).toBe(true);
			expect(Buffer.concat(got.flatMap(message => [message.skipped, message.bytes, message.ending]))).toEqual(wire);
		}), {numRuns: 500});
	});

	it('delivers a frame longer than --max-line in pieces, and what is left at the end as partial', () => {
		const spec = binaryFraming('len:u16be')!;
		const long = Buffer.alloc(100, 7);
		const got = frame('len:u16be', Buffer.concat([encodeFrame(spec, long), Buffer.from([0, 5, 1, 2])]), [], 40);
		expect(got.map(message => [message.bytes.length, message.partial])).toEqual([[40, true], [40, true], [20, false], [2, true]]);
		expect(binaryFraming('delim:zz')).toBeUndefined();
		expect(binaryFraming('len:u24')).toBeUndefined();
	});

	it('splits a payload too long for a u8 prefix into several frames', () => {
		const spec = binaryFraming('len:u8')!;
		const frames = encodeFrame(spec, Buffer.alloc(300, 1));
		expect(frames.length).toBe(302);
		expect(frames[0]).toBe(255);
		expect(frames[256]).toBe(45);
	});
});

describe('flags around framing, exec and reply files', () => {
	it('takes len: in any case, refuses answers beside --exec and a program that is not there, and names a reply file\'s line', async () => {
		const {configFromFlags} = await import('../../source/config.js');
		const {mkdtempSync, writeFileSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		expect(configFromFlags({framing: 'len:U16BE'}).framing).toBe('len:u16be');
		expect(() => configFromFlags({exec: 'cat', reply: ['a=>b']})).toThrow(/--reply does not apply with --exec/);
		expect(() => configFromFlags({exec: 'no-such-program-here'})).toThrow(/no program "no-such-program-here"/);
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-rules-')), 'rules.txt');
		writeFileSync(file, '# rules\n^a=>b\n^c=>\\q\n');
		expect(() => configFromFlags({replyFile: file})).toThrow(/rules\.txt:3: .*unknown escape \\q/);
	});
});
