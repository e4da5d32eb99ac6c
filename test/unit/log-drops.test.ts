import {Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {attachNdjson} from '../../source/sinks/ndjson.js';

/** A reader that takes nothing until `release()`: the stalled pipe of a busy `| jq`. */
class StalledReader extends Writable {
	readonly written: Buffer[] = [];
	#callbacks: Array<() => void> = [];
	#released = false;

	constructor() {
		super({highWaterMark: 16 * 1024});
	}

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
		this.written.push(chunk);
		if (this.#released) {
			callback();
		} else {
			this.#callbacks.push(callback);
		}
	}

	release(): void {
		this.#released = true;
		for (const callback of this.#callbacks.splice(0)) {
			callback();
		}
	}

	lines(): Array<{type: string} & Record<string, unknown>> {
		return Buffer.concat(this.written).toString('utf8').split('\n').filter(line => line !== '').map(line => JSON.parse(line) as {type: string} & Record<string, unknown>);
	}
}

describe('the NDJSON log under a stalled reader', () => {
	it('drops per-message events first and keeps every connection\'s life, saying what it dropped by type', async () => {
		const bus = new EventBus();
		const reader = new StalledReader();
		const detach = attachNdjson(bus, reader);
		const text = 'x'.repeat(200);
		let opened = 0;
		for (let index = 0; index < 200_000; index++) {
			if (index % 1000 === 0) {
				opened++;
				bus.publish({type: 'conn.open', id: opened, peer: {address: '127.0.0.1', port: 1, family: 'IPv4'}, local: {address: '127.0.0.1', port: 2, family: 'IPv4'}});
			}

			bus.publish({type: 'conn.message', id: opened, text});
			bus.publish({type: 'conn.read', id: opened, bytes: 201});
			if (index % 1000 === 999) {
				bus.publish({type: 'conn.end', id: opened});
				bus.publish({type: 'conn.close', id: opened, reason: 'eof', bytesIn: 1, bytesOut: 1, messagesIn: 1, durationMs: 1});
			}
		}

		// Let the reader catch up, then stop (which flushes).
		const drained = detach();
		reader.release();
		await drained;
		const lines = reader.lines();
		const count = (type: string): number => lines.filter(line => line.type === type).length;
		expect(count('conn.open')).toBe(200);
		expect(count('conn.end')).toBe(200);
		expect(count('conn.close')).toBe(200);
		const dropped = lines.filter(line => line.type === 'log.dropped');
		expect(dropped.length).toBeGreaterThan(0);
		const byType: Record<string, number> = {};
		for (const line of dropped) {
			for (const [type, n] of Object.entries(line['types'] as Record<string, number>)) {
				byType[type] = (byType[type] ?? 0) + n;
			}
		}

		expect(Object.keys(byType).sort()).toEqual(['conn.message', 'conn.read']);
		expect(byType['conn.message']! + count('conn.message')).toBe(200_000);
		expect(byType['conn.read']! + count('conn.read')).toBe(200_000);
	});

	it('bounds lifecycle events too, under a second, larger bound', async () => {
		const bus = new EventBus();
		const reader = new StalledReader();
		const detach = attachNdjson(bus, reader, {maxQueuedBytes: 64 * 1024, maxQueuedLifecycleBytes: 256 * 1024});
		for (let id = 1; id <= 20_000; id++) {
			bus.publish({type: 'conn.open', id, peer: {address: '127.0.0.1', port: 1, family: 'IPv4'}, local: {address: '127.0.0.1', port: 2, family: 'IPv4'}});
			bus.publish({type: 'conn.close', id, reason: 'eof', bytesIn: 1, bytesOut: 1, messagesIn: 1, durationMs: 1});
		}

		expect(reader.writableLength).toBeLessThan(256 * 1024 + 128 * 1024);
		const drained = detach();
		reader.release();
		await drained;
		const lines = reader.lines();
		const dropped = lines.filter(line => line.type === 'log.dropped').reduce((sum, line) => sum + (line['types'] as Record<string, number>)['conn.open']!, 0);
		expect(dropped).toBeGreaterThan(0);
		expect(dropped + lines.filter(line => line.type === 'conn.open').length).toBe(20_000);
	});
});
