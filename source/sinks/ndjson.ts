import {closeSync, createWriteStream, openSync, readSync, statSync, writeSync, type WriteStream} from 'node:fs';
import type {EventBus} from '../bus.js';
import {messageOf, UsageError} from '../errors.js';
import {DropGate, type QueueBounds} from './drop-gate.js';
import {ExchangeFolder} from './exchange-folder.js';

/** Lines are gathered and written when this many bytes wait, or after `flushMs`. */
const flushBytes = 64 * 1024;
const flushMs = 20;

/** Room for a batch's few non-ASCII characters; more, and it is encoded again (rare). */
const slack = 256;

/**
 * The UTF-8 of a batch. Done here rather than by the stream, whose Buffer.from measures the UTF-8
 * length first and so walks the joined lines twice: this costs about half. The log is almost all
 * ASCII, so the buffer is the text's length and a little more; when a write fills it to the last
 * few bytes, a character may not have fitted, and the batch is encoded the slow way.
 */
function encodeUtf8(text: string): Buffer {
	const bytes = Buffer.allocUnsafeSlow(text.length + slack);
	const length = bytes.write(text, 0, 'utf8');
	return length > bytes.length - 4 ? Buffer.from(text, 'utf8') : bytes.subarray(0, length);
}

/**
 * The version of the log's schema. 3: as 2, and the four events of the common exchange (a read,
 * its first plain line, the reply, the write) may be one `conn.exchange` line, a datagram and its
 * reply one `udp.exchange` line (protocol/exchange.ts).
 * 2: every log begins with this header; `conn.message` and
 * `client.received` carry `eol`/`skipped` (the exact line ending and blank lines, so the wire
 * bytes can be rebuilt), `client.sent` carries the exact bytes sent, `conn.end` and `client.end`
 * the blank lines after the last message. 1: the logs before (no header line).
 */
export const logVersion = 3;

/** The first line of every log. */
export function logHeader(): {type: 'log.header'; ts: number; version: number; tool: string} {
	return {type: 'log.header', ts: Date.now(), version: logVersion, tool: 'socket-tui'};
}

/**
 * Writes every bus event as one JSON line (a common exchange's as one `conn.exchange` or
 * `udp.exchange` line, see ExchangeFolder; readers unfold it, protocol/log-lines.ts). Lines are
 * gathered and written in batches (64 KB, or 20 ms after the first waiting line): one write for
 * a burst of events instead of one each — stdout to a file or a pipe is a system call per write,
 * the biggest cost under load.
 * A reader that falls behind loses per-message events first (see DropGate), told by a line
 * `{"type":"log.dropped","count":N,"types":{"conn.read":…}}` once it catches up.
 * Returns a function that stops and flushes.
 */
export function attachNdjson(bus: EventBus, stream: NodeJS.WritableStream, bounds?: QueueBounds): () => Promise<void> {
	// The first line of every log says which schema it follows (README, "The log").
	let pending = `${JSON.stringify(logHeader())}\n`;
	let timer: NodeJS.Timeout | undefined;
	const folder = new ExchangeFolder();
	const gate = new DropGate(stream, (types, count) => {
		pending += folder.release() + JSON.stringify({type: 'log.dropped', ts: Date.now(), count, types}) + '\n';
		flush();
	}, bounds);
	const flush = (): void => {
		clearTimeout(timer);
		timer = undefined;
		pending += folder.release();
		if (pending === '') {
			return;
		}

		const bytes = encodeUtf8(pending);
		// Emptied before the write: a stream that fails at once may flush again from its handler.
		pending = '';
		stream.write(bytes);
	};

	const unsubscribe = bus.subscribe(event => {
		if (!gate.admit(event.type, pending.length)) {
			return;
		}

		// '' while a read waits to be folded with its message, reply and write: the timer still
		// runs, so a read that never folds is written within flushMs all the same.
		pending += folder.line(event);
		if (pending.length >= flushBytes) {
			flush();
		} else {
			timer ??= setTimeout(flush, flushMs);
		}
	});
	const written = async (): Promise<void> => new Promise<void>(resolve => {
		// An empty write calls back once everything queued before it is flushed.
		stream.write('', () => {
			resolve();
		});
	});
	return async () => {
		unsubscribe();
		flush();
		await written();
		gate.flushNotice();
		await written();
	};
}

/** Stops a log and flushes it; `gone` resolves if its reader went away first (a FIFO closed). */
export type LogDetach = (() => Promise<void>) & {readonly gone: Promise<void>};

/** True for an empty file, or one whose last byte is a newline. */
function endsWithNewline(file: string): boolean {
	const {size} = statSync(file);
	if (size === 0) {
		return true;
	}

	const last = Buffer.alloc(1);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, last, 0, 1, size - 1);
	} finally {
		closeSync(fd);
	}

	return last[0] === 0x0A;
}

/**
 * Opens the --log file (appending: an earlier run's log is never lost; created readable by you
 * alone, since it holds traffic) and attaches it. Fails at once, as a usage error, when the file
 * cannot be written. If the file's reader goes away (a FIFO whose reader closed), logging stops
 * and `gone` resolves, so the run can end quietly as it does when stdout's reader leaves.
 */
export function attachLogFile(bus: EventBus, file: string): LogDetach {
	let fd: number;
	try {
		fd = openSync(file, 'a', 0o600);
		// A log cut off mid-line (a run killed while writing) must not have the next run's header
		// glued to its last line: this run starts on a line of its own.
		if (!endsWithNewline(file)) {
			writeSync(fd, '\n');
		}
	} catch (error) {
		throw new UsageError(`cannot write --log ${file}: ${messageOf(error)}`);
	}

	const stream: WriteStream = createWriteStream(file, {fd, flags: 'a'});
	const detach = attachNdjson(bus, stream);
	const gone = new Promise<void>(resolve => {
		stream.once('error', () => {
			void detach();
			resolve();
		});
	});
	return Object.assign(async () => {
		await detach();
		if (stream.destroyed) {
			return;
		}

		// The stream owns the descriptor and closes it after the last write.
		await new Promise<void>(resolve => {
			stream.once('close', resolve);
			stream.end();
		});
	}, {gone});
}
