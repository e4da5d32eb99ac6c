import {LogFileError} from '../errors.js';
import {missingFields} from './event-fields.js';
import {unfoldLine} from './exchange.js';
import {needsEscaping, terminalSafeMessage} from './terminal-safe.js';

/**
 * A log's lines as JSON values, with their line numbers; `cut`: a line was cut off (a run stopped
 * while writing it); `version`: the newest schema its header lines name (0 with none: version 1).
 */
export type LogLines = {readonly values: ReadonlyArray<{readonly value: unknown; readonly line: number}>; readonly cut: boolean; readonly version: number};


/** The text's last line is not a whole JSON value and has no newline after it: a log cut off while being written. */
export function endsCut(text: string): boolean {
	const last = text.slice(text.lastIndexOf('\n') + 1);
	if (last.trim() === '') {
		return false;
	}

	try {
		JSON.parse(last);
		return false;
	} catch {
		return true;
	}
}

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
 * Parses an NDJSON log written by --log/--json; a `conn.exchange` or `udp.exchange` line (log
 * version 3) comes back as the events it folds (protocol/exchange.ts), with its line number. A
 * line cut off mid-way — a run killed while writing: the last line with no newline after it, or
 * one the next run's header was glued to — is left out and said (`cut`), so that what the log
 * does hold can still be replayed; any other line that is not JSON, or an event without the
 * fields its readers need (event-fields.ts), throws a LogFileError naming the file and line.
 */
export function logLines(text: string, file: string): LogLines {
	const values: Array<{value: unknown; line: number}> = [];
	const lines = text.split('\n');
	const cutAtEnd = endsCut(text);
	// For a line that is not JSON: the first non-blank line after it. Found in one backward pass
	// the first time it is asked (linear, however many lines are cut).
	let nextNonBlank: Int32Array | undefined;
	const lineAfter = (index: number): string | undefined => {
		if (nextNonBlank === undefined) {
			nextNonBlank = new Int32Array(lines.length + 1).fill(-1);
			for (let at = lines.length - 1; at >= 0; at--) {
				nextNonBlank[at] = lines[at + 1] !== undefined && lines[at + 1]!.trim() !== '' ? at + 1 : nextNonBlank[at + 1]!;
			}
		}

		const found = nextNonBlank[index]!;
		return found === -1 ? undefined : lines[found];
	};

	let cutLines = 0;
	let version = 0;
	for (const [index, line] of lines.entries()) {
		if (line.trim() === '') {
			continue;
		}

		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			if (index === lines.length - 1 && cutAtEnd) {
				continue;
			}

			// Cut off, and the next run started on a line of its own (the log writer sees to it).
			const next = lineAfter(index);
			if (next?.startsWith('{"type":"log.header"')) {
				cutLines++;
				continue;
			}

			// A run cut off mid-line, then appended to by an older version: the next run's header is
			// glued to the cut line. The cut part is left out, the run after it kept.
			const header = line.indexOf('{"type":"log.header"');
			if (header > 0) {
				try {
					const glued: unknown = JSON.parse(line.slice(header));
					values.push({value: glued, line: index + 1});
					version = Math.max(version, headerVersion(glued));
					cutLines++;
					continue;
				} catch {
					// Not that: refused below.
				}
			}

			throw new LogFileError(`${file}:${index + 1}: not an NDJSON log line (write one with --log FILE or --json)`);
		}

		const event = value as Record<string, unknown> | null;
		if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof event['type'] !== 'string' || typeof event['ts'] !== 'number') {
			throw new LogFileError(`${file}:${index + 1}: not an event of a socket-tui log (each line has a "type" and a "ts")`);
		}

		const missing = missingFields(event);
		if (missing !== undefined) {
			throw new LogFileError(`${file}:${index + 1}: a ${event['type']} line needs ${missing}`);
		}

		version = Math.max(version, headerVersion(event));

		for (const unfolded of unfoldLine(value) ?? [value]) {
			values.push({value: unfolded, line: index + 1});
		}
	}

	return {values, cut: cutAtEnd || cutLines > 0, version};
}
