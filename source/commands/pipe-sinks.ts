import type {EventBus} from '../bus.js';
import type {Config} from '../config.js';
import {attachLogFile, attachNdjson} from '../sinks/ndjson.js';
import {attachTextLog} from '../sinks/text-log.js';
import type {Io} from './io.js';

/** Where `connect`'s human and machine output goes without a screen (nc's -v and the rest). */
export type PipeOutput = {
	/** -v: the transcript on stderr. */
	readonly verbose: boolean;
	/** --transcript: the transcript on stdout instead of the received bytes. */
	readonly transcript: boolean;
};

/**
 * Attaches connect's sinks: --log to its file, --json or --transcript to stdout, -v's transcript
 * to stderr. `bytesToStdout`: stdout is left for the peer's bytes. `detach` flushes them all.
 */
export function attachPipeSinks(bus: EventBus, config: Config, output: PipeOutput, io: Io): {readonly bytesToStdout: boolean; readonly logGone: Promise<void> | undefined; readonly detach: () => Promise<void>} {
	const detachLog = config.log === undefined ? undefined : attachLogFile(bus, config.log);
	const detachOut = config.json ? attachNdjson(bus, io.stdout) : (output.transcript ? attachTextLog(bus, io.stdout) : undefined);
	const detachErr = output.verbose ? attachTextLog(bus, io.stderr) : undefined;
	return {
		bytesToStdout: !config.json && !output.transcript,
		logGone: detachLog?.gone,
		async detach() {
			await detachErr?.();
			await detachOut?.();
			await detachLog?.();
		},
	};
}
