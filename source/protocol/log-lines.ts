import {UsageError} from '../errors.js';

/** A log's lines as JSON values, with their line numbers; `cut`: its last line was cut off. */
export type LogLines = {readonly values: ReadonlyArray<{readonly value: unknown; readonly line: number}>; readonly cut: boolean};

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
 * Parses an NDJSON log written by --log/--json. A last line cut off mid-way — a run that was
 * killed while writing, no newline after it — is left out and said (`cut`), so that what the log
 * does hold can still be replayed; any other line that is not JSON throws a UsageError naming the
 * file and line.
 */
export function logLines(text: string, file: string): LogLines {
	const values: Array<{value: unknown; line: number}> = [];
	const lines = text.split('\n');
	const cut = endsCut(text);
	for (const [index, line] of lines.entries()) {
		if (line.trim() === '') {
			continue;
		}

		try {
			values.push({value: JSON.parse(line), line: index + 1});
		} catch {
			if (index === lines.length - 1 && cut) {
				continue;
			}

			throw new UsageError(`${file}:${index + 1}: not an NDJSON log line (write one with --log FILE or --json)`);
		}
	}

	return {values, cut};
}
