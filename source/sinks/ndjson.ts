import {createWriteStream, openSync, type WriteStream} from 'node:fs';
import type {EventBus} from '../bus.js';
import {UsageError} from '../config.js';
import {messageOf} from '../net/errors.js';

/** Writes every bus event as one JSON line. Returns a function that stops and flushes. */
export function attachNdjson(bus: EventBus, stream: NodeJS.WritableStream): () => Promise<void> {
	const unsubscribe = bus.subscribe(event => {
		stream.write(JSON.stringify(event) + '\n');
	});
	return async () => {
		unsubscribe();
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
