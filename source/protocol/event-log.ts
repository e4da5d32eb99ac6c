import type {SocketEvent} from '../events.js';
import {LogFileError} from '../errors.js';
import {eachLogValue, type LogText} from './log-lines.js';

/** The events of one run of a log, and how many runs the file holds. */
export type LoggedRun = {
	readonly events: SocketEvent[];
	/** Runs in the file (a --log file is appended to, each run after its `log.header`). */
	readonly runs: number;
	/** Which of them these are, from 1. */
	readonly run: number;
	/** A line was cut off (a run killed while writing): left out. */
	readonly cut: boolean;
	/** The newest schema version the file's headers name (0: none, version 1). */
	readonly version: number;
	/** When the chosen run's header says it began (none in a version 1 log). */
	readonly headerTs: number | undefined;
};

/**
 * Reads a log written by --log/--json (any mode) into the events of one run — the last unless
 * `run` (from 1) names another — in the order they were written. Lines that are not events of the
 * catalogue (`log.header`, `log.dropped`, replay reports) are left out. Throws a LogFileError
 * naming the file and line for a line that is not JSON, or an event without its type and time,
 * and for a run that does not exist.
 */
export function readEventLog(text: LogText, file: string, run?: number): LoggedRun {
	const runs: SocketEvent[][] = [[]];
	const headers: Array<number | undefined> = [undefined];
	const {cut, version} = eachLogValue(text, file, value => {
		// logLines has checked that each is an event: an object with its type and time.
		const event = value as {type: string; ts: number};

		if (event.type === 'log.header') {
			if (runs.at(-1)!.length > 0) {
				runs.push([]);
				headers.push(undefined);
			}

			headers[headers.length - 1] = event.ts;
			return;
		}

		if (event.type.startsWith('log.') || event.type.startsWith('replay.')) {
			return;
		}

		runs.at(-1)!.push(value as SocketEvent);
	});

	const count = runs.at(-1)!.length === 0 && runs.length > 1 ? runs.length - 1 : runs.length;
	const chosen = run ?? count;
	if (!Number.isInteger(chosen) || chosen < 1 || chosen > count) {
		throw new LogFileError(`${file} holds ${count} run${count === 1 ? '' : 's'}: --run takes 1 to ${count}`);
	}

	return {events: runs[chosen - 1]!, runs: count, run: chosen, cut, version, headerTs: headers[chosen - 1]};
}
