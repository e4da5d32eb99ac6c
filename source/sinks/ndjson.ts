import {createWriteStream, openSync, type WriteStream} from 'node:fs';
import type {EventBus} from '../bus.js';
import {UsageError} from '../config.js';
import {messageOf} from '../net/errors.js';
import {BoundedWriter} from './bounded-writer.js';

/**
 * Writes every bus event as one JSON line. Lines are gathered and written once per turn of the
 * event loop: one write for a burst of events instead of one each (the hot path under load).
 * Returns a function that stops and flushes.
 */
export function attachNdjson(bus: EventBus, stream: NodeJS.WritableStream): () => Promise<void> {
	let pending = '';
	let pendingLines = 0;
	let scheduled = false;
	const writer = new BoundedWriter(stream, count => JSON.stringify({type: 'log.dropped', ts: Date.now(), count}) + '\n');
	const flush = (): void => {
		scheduled = false;
		const chunk = pending;
		const lines = pendingLines;
		pending = '';
		pendingLines = 0;
		writer.write(chunk, lines);
	};

	const unsubscribe = bus.subscribe(event => {
		pending += JSON.stringify(event) + '\n';
		pendingLines++;
		if (!scheduled) {
			scheduled = true;
			setImmediate(flush);
		}
	});
	return async () => {
		unsubscribe();
		if (scheduled) {
			flush();
		}

		await new Promise<void>(resolve => {
			// An empty write calls back once everything queued before it is flushed.
			stream.write('', () => {
				resolve();
			});
		});
	};
}

/**
 * Opens the --log file (appending: an earlier run's log is never lost) and attaches it.
 * Fails at once, as a usage error, when the file cannot be written.
 */
export function attachLogFile(bus: EventBus, file: string): () => Promise<void> {
	let fd: number;
	try {
		fd = openSync(file, 'a');
	} catch (error) {
		throw new UsageError(`cannot write --log ${file}: ${messageOf(error)}`);
	}

	const stream: WriteStream = createWriteStream(file, {fd, flags: 'a'});
	const detach = attachNdjson(bus, stream);
	return async () => {
		await detach();
		// The stream owns the descriptor and closes it after the last write.
		await new Promise<void>(resolve => {
			stream.once('close', resolve);
			stream.end();
		});
	};
}
