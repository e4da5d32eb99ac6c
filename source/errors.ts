/**
 * The one home of the CLI's errors. Every failure a person can cause or meet is one of these:
 * `run()` prints its message in one line and exits with its `exitCode` (README, "Exit codes");
 * anything else is a bug, reported as "unexpected failure" (exit 1). Modelled on undici's one
 * errors module.
 */

/** A failure the CLI reports in one line and exits with. */
export abstract class CliError extends Error {
	abstract readonly exitCode: number;
}

/**
 * Bad usage — a flag, an argument, a rule, a file named on the command line: exit 2, with a hint
 * to `--help`. The specific kinds (a bad address, a bad rule, a bad URL) extend it.
 */
export class UsageError extends CliError {
	override name = 'UsageError';
	readonly exitCode = 2;
}

/**
 * A file named on the command line that is not a socket-tui log, or a damaged one (replay,
 * --mock): bad input like any other, exit 2, but told without the hint to `--help`, which cannot
 * mend a file. The message names the file and line.
 */
export class LogFileError extends UsageError {
	override name = 'LogFileError';
}

/** A socket failure told in one line, with what to try. */
export type Explained = {readonly code: string; readonly message: string; readonly hint: string};

/** A failure that has its one-line explanation (port in use, refused…): exit 1. */
export class ExplainedError extends CliError {
	override name = 'ExplainedError';
	readonly exitCode = 1;
	constructor(readonly explained: Explained) {
		super(`${explained.message} — ${explained.hint}`);
	}
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
