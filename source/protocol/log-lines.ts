import {LogFileError} from '../errors.js';
import {missingFields} from './event-fields.js';
import {unfoldLine} from './exchange.js';
import {needsEscaping, terminalSafeMessage} from './terminal-safe.js';

/**
 * A log's lines as JSON values, with their line numbers; `cut`: a line was cut off (a run stopped
 * while writing it); `version`: the newest schema its header lines name (0 with none: version 1).
 */
export type LogLines = {readonly values: ReadonlyArray<{readonly value: unknown; readonly line: number}>; readonly cut: boolean; readonly version: number};

/**
 * The newest log schema this version reads (sinks/ndjson.ts writes it; a test keeps the two
 * equal). Kept here, below the sinks, for the readers.
 */
export const readableVersion = 3;

/**
 * What a reader says of a log before using it: a line was cut off, or a newer version wrote it.
 * `rest` and `known` end each sentence (what the reader does about it).
 */
export function logNotes({cut, version}: Pick<LogLines, 'cut' | 'version'>, file: string, rest: string, known: string): string[] {
	return [
		...(cut ? [`${file}: a line was cut off (a run stopped while writing it): ${rest}`] : []),
		...(version > readableVersion ? [`${file}: written by a newer socket-tui (log version ${version}; this one reads 1 to ${readableVersion}): ${known}`] : []),
	];
}

/** The fields that hold a peer's bytes exactly: kept as they are (every view escapes them as it shows them). */
const payloadFields: ReadonlySet<string> = new Set(['text', 'reply', 'base64', 'eol', 'skipped']);

/**
 * A log is a file anyone could have written: every other text in its events (an address, a
 * reason, a certificate's subject, an error) is made safe for a terminal, in place, before the
 * replay's screen shows them (its panes show such fields as they are; piped text and --explain
 * escape their whole lines, and --json writes JSON escapes, so they keep the data as it was).
 */
export function displaySafeEvents(events: readonly object[]): void {
	for (const event of events) {
		displaySafeFields(event as Record<string, unknown>);
	}
}

function displaySafeFields(object: Record<string, unknown>, top = true): void {
	for (const [key, field] of Object.entries(object)) {
		if (top && payloadFields.has(key)) {
			continue;
		}

		if (typeof field === 'string') {
			if (needsEscaping(field)) {
				object[key] = terminalSafeMessage(field);
			}
		} else if (typeof field === 'object' && field !== null) {
			displaySafeFields(field as Record<string, unknown>, false);
		}
	}
}

/** The schema version a header line names (0 for anything else). */
function headerVersion(value: unknown): number {
	const header = value as {type?: unknown; version?: unknown};
	return header.type === 'log.header' && typeof header.version === 'number' ? header.version : 0;
}

/**
 * A log's text: the whole of it, or its pieces in order (log-file.ts reads a file so), split into
 * lines across pieces.
 */
export type LogText = string | Iterable<string>;

/**
 * The longest line a log reader takes (UTF-16 units): V8's longest string, less a margin. What
 * the product writes fits (a --max-line of 256 MB, base64-encoded); a longer line is named.
 */
const longestLine = (1 << 29) - 64;

/**
 * Parses an NDJSON log written by --log/--json; a `conn.exchange` or `udp.exchange` line (log
 * version 3) comes back as the events it folds (protocol/exchange.ts), with its line number. A
 * line cut off mid-way — a run killed while writing: the last line with no newline after it, or
 * one the next run's header was glued to — is left out and said (`cut`), so that what the log
 * does hold can still be replayed; any other line that is not JSON, or an event without the
 * fields its readers need (event-fields.ts), throws a LogFileError naming the file and line.
 */
export function logLines(text: LogText, file: string): LogLines {
	const values: Array<{value: unknown; line: number}> = [];
	const {cut, version} = eachLogValue(text, file, (value, line) => {
		values.push({value, line});
	});
	return {values, cut, version};
}

/**
 * logLines without the array: each value is given to `visit` as it is read, so a reader that
 * keeps what it makes of the values, not the values, holds one line at a time. Linear in the
 * log's length; memory: the longest line (and what `visit` keeps).
 */
export function eachLogValue(text: LogText, file: string, visit: (value: unknown, line: number) => void): Pick<LogLines, 'cut' | 'version'> {
	let cutLines = 0;
	let cutAtEnd = false;
	let version = 0;
	// A line that is not JSON waits for the next non-blank line, which says whether it was cut.
	let unparsed: {readonly line: string; readonly number: number} | undefined;

	const settleUnparsed = (next: string | undefined): void => {
		const {line, number} = unparsed!;
		unparsed = undefined;
		// Cut off, and the next run started on a line of its own (the log writer sees to it).
		if (next?.startsWith('{"type":"log.header"')) {
			cutLines++;
			return;
		}

		// A run cut off mid-line, then appended to by an older version: the next run's header is
		// glued to the cut line. The cut part is left out, the run after it kept.
		const header = line.indexOf('{"type":"log.header"');
		if (header > 0) {
			let glued: unknown;
			try {
				glued = JSON.parse(line.slice(header));
			} catch {
				glued = undefined;
			}

			if (glued !== undefined) {
				visit(glued, number);
				version = Math.max(version, headerVersion(glued));
				cutLines++;
				return;
			}
		}

		throw new LogFileError(`${file}:${number}: not an NDJSON log line (write one with --log FILE or --json)`);
	};

	const take = (line: string, number: number, ended: boolean): void => {
		if (line.trim() === '') {
			return;
		}

		if (unparsed !== undefined) {
			settleUnparsed(line);
		}

		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			if (ended) {
				unparsed = {line, number};
			} else {
				// The last line, with no newline after it: a log cut off while being written.
				cutAtEnd = true;
			}

			return;
		}

		const event = value as Record<string, unknown> | null;
		if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof event['type'] !== 'string' || typeof event['ts'] !== 'number') {
			throw new LogFileError(`${file}:${number}: not an event of a socket-tui log (each line has a "type" and a "ts")`);
		}

		const missing = missingFields(event);
		if (missing !== undefined) {
			throw new LogFileError(`${file}:${number}: a ${event['type']} line needs ${missing}`);
		}

		version = Math.max(version, headerVersion(event));
		for (const unfolded of unfoldLine(value) ?? [value]) {
			visit(unfolded, number);
		}
	};

	let number = 0;
	let pieces: string[] = [];
	let pending = 0;
	for (const piece of typeof text === 'string' ? [text] : text) {
		let start = 0;
		for (;;) {
			const newline = piece.indexOf('\n', start);
			const end = newline === -1 ? piece.length : newline;
			pending += end - start;
			if (pending > longestLine) {
				throw new LogFileError(`${file}:${number + 1}: a line longer than ${Math.floor(longestLine / (1024 * 1024))} MB, more than a log reader can hold`);
			}

			if (newline === -1) {
				if (start < piece.length) {
					pieces.push(start === 0 ? piece : piece.slice(start));
				}

				break;
			}

			const tail = piece.slice(start, newline);
			const line = pieces.length === 0 ? tail : pieces.join('') + tail;
			pieces = [];
			pending = 0;
			take(line, ++number, true);
			start = newline + 1;
		}
	}

	if (pieces.length > 0) {
		take(pieces.join(''), ++number, false);
	}

	if (unparsed !== undefined) {
		settleUnparsed(undefined);
	}

	return {cut: cutAtEnd || cutLines > 0, version};
}
