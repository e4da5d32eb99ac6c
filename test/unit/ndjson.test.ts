import {PassThrough} from 'node:stream';
import {terminalSafeJson} from '../../source/protocol/terminal-safe.js';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import type {SocketEvent} from '../../source/events.js';
import {attachNdjson} from '../../source/sinks/ndjson.js';

describe('attachNdjson', () => {
	it('writes every event as the UTF-8 of JSON.stringify (terminal-safe: C1 and bidi as \\u escapes), one a line, whatever the text', async () => {
		await fc.assert(fc.asyncProperty(fc.array(fc.string({unit: 'binary', maxLength: 200}), {maxLength: 50}), async texts => {
			const bus = new EventBus();
			const stream = new PassThrough();
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			const detach = attachNdjson(bus, stream);
			const published: SocketEvent[] = texts.map((text, index) => bus.publish(index % 2 === 0
				? {type: 'conn.message', id: index, text}
				: {type: 'conn.reply', id: index, kind: 'reply', text}));
			await detach();
			const expected = published.map(event => terminalSafeJson(JSON.stringify(event)) + '\n').join('');
			// After the header line that opens every log.
			const written = Buffer.concat(chunks).toString('utf8');
			expect(JSON.parse(written.slice(0, written.indexOf('\n')))).toMatchObject({type: 'log.header', version: 3});
			expect(Buffer.from(written.slice(written.indexOf('\n') + 1), 'utf8')).toEqual(Buffer.from(expected, 'utf8'));
		}), {numRuns: 200});
	});

	it('writes a batch once 64 KB wait, without waiting for the timer', async () => {
		const bus = new EventBus();
		const stream = new PassThrough();
		const writes: number[] = [];
		const write = stream.write.bind(stream);
		stream.write = ((chunk: Uint8Array | string, ...rest: never[]) => {
			writes.push(chunk.length);
			return write(chunk, ...rest);
		}) as typeof stream.write;
		stream.resume();
		const detach = attachNdjson(bus, stream);
		const text = 'x'.repeat(1000);
		for (let index = 0; index < 70; index++) {
			bus.publish({type: 'conn.message', id: index, text});
		}

		// Synchronously, before any timer: one batch of at least 64 KB went out.
		expect(writes).toHaveLength(1);
		expect(writes[0]).toBeGreaterThanOrEqual(64 * 1024);
		await detach();
		expect(writes.slice(0, -1).reduce((sum, length) => sum + length, 0)).toBeGreaterThan(70 * 1000);
	});
});
