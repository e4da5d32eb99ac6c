import {Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {BoundedWriter} from '../../source/sinks/bounded-writer.js';

/** A stream whose reader is stuck until `release()`. */
function stuckStream(): {stream: Writable; written: string[]; release: () => void} {
	const written: string[] = [];
	let callbacks: Array<() => void> = [];
	const stream = new Writable({
		highWaterMark: 16,
		write(chunk: Buffer, _encoding, callback) {
			written.push(chunk.toString());
			callbacks.push(callback);
		},
	});
	return {
		stream,
		written,
		release() {
			const pending = callbacks;
			callbacks = [];
			for (const callback of pending) {
				callback();
			}
		},
	};
}

describe('BoundedWriter', () => {
	it('drops and counts lines while the reader is behind, then says how many', async () => {
		const {stream, written, release} = stuckStream();
		const writer = new BoundedWriter(stream, count => `dropped ${count}\n`, 20);
		for (let index = 0; index < 10; index++) {
			writer.write(`line ${index}\n`);
		}

		expect(writer.dropped).toBeGreaterThan(0);
		const kept = 10 - writer.dropped;
		while (written.length < kept + 1) {
			release();
			await new Promise(resolve => setImmediate(resolve));
		}

		expect(written.at(-1)).toBe(`dropped ${10 - kept}\n`);
		expect(writer.dropped).toBe(0);
	});
});
