import {once} from 'node:events';
import {configFromFlags, integer} from '../config.js';
import {UsageError} from '../errors.js';
import type {SocketEvent} from '../events.js';
import {clock} from '../format/clock.js';
import {watchOutputs} from '../lifecycle.js';
import {readEventLog} from '../protocol/event-log.js';
import {logFileText} from '../protocol/log-file.js';
import {logNotes, type LogText} from '../protocol/log-lines.js';
import {logHeader} from '../sinks/ndjson.js';
import {jsonLine} from '../sinks/json-line.js';
import {describeEvent} from '../sinks/text-log.js';
import {explainer} from '../wording/explain.js';
import type {Flags} from './flags.js';
import type {Io} from './io.js';

/**
 * `socket-tui replay FILE`: the recorded run again — on the screen when there is a terminal (with
 * --to: against a live server, below), as text otherwise.
 */
export async function runReplay(args: readonly string[], flags: Flags, io: Io): Promise<number> {
	if (args.length !== 1) {
		throw new UsageError('replay needs one log file (written with --log FILE or --json), e.g. socket-tui replay run.ndjson, or socket-tui replay run.ndjson --to 127.0.0.1:9999');
	}

	if (flags.to !== undefined) {
		for (const flag of ['speed', 'explain'] as const) {
			if (flags[flag] !== undefined) {
				throw new UsageError(`--${flag} is for replaying into the screen or as text, not with --to (which replays every connection of the log)`);
			}
		}

		const {replayTo} = await import('./replay-to.js');
		return replayTo(readLog(args[0]!), args[0]!, flags, io);
	}

	for (const flag of ['pace', 'step'] as const) {
		if (flags[flag] !== undefined) {
			throw new UsageError(`--${flag} is for replay --to HOST:PORT (how to send to a live server); on the screen, --speed N and the time bar's keys`);
		}
	}

	const file = args[0]!;
	const config = configFromFlags(flags);
	const speed = flags.speed === undefined ? 1 : Number(flags.speed);
	if (!Number.isFinite(speed) || speed < 0.1 || speed > 1024) {
		throw new UsageError(`--speed takes a number from 0.1 to 1024 (times as fast as recorded), got "${flags.speed}"`);
	}

	const run = flags.run === undefined ? undefined : integer('run', flags.run, 1, 1, 100_000);
	const log = readEventLog(readLog(file), file, run);
	if (log.events.length === 0) {
		throw new UsageError(`${file} holds no events to replay`);
	}

	const notes = logNotes(log, file, 'replaying the rest', 'replaying what it knows');
	const cutNote = notes.length === 0 ? undefined : notes.join('; ');

	if (io.stdout.isTTY === true && io.stdin.isTTY === true && !config.json) {
		const {runReplayScreen} = await import('./replay-screen.js');
		return runReplayScreen(log, {speed, explain: config.explain, note: cutNote});
	}

	if (cutNote !== undefined) {
		io.stderr.write(`socket-tui: ${cutNote}\n`);
	}

	// No terminal: the events as the headless modes tell them, in order, at once — every one
	// (no dropping under backpressure: the reader is waited for), and a quiet stop when it leaves.
	const explain = explainer();
	const describe = config.json ? (event: SocketEvent) => jsonLine(event).slice(0, -1) : (event: SocketEvent) => {
		const line = config.explain ? explain(event) : describeEvent(event);
		return line === undefined ? undefined : `${clock(event.ts)} ${line}`;
	};
	const outputs = watchOutputs([io.stdout]);
	try {
		// The log's own header time (the first event's for a version 1 log, which had none); the
		// version is this copy's: every exchange is unfolded, as version 3 allows.
		for (const event of config.json ? [{...logHeader(), ts: log.headerTs ?? log.events[0]!.ts}, ...log.events] : log.events) {
			const line = describe(event as SocketEvent);
			if (line !== undefined && !io.stdout.write(`${line}\n`)) {
				await once(io.stdout, 'drain', {signal: outputs.signal}).catch(() => undefined);
			}

			if (outputs.signal.aborted) {
				break;
			}
		}
	} finally {
		outputs.dispose();
	}

	return 0;
}

/** The log's text, read as it is parsed (log-file.ts); a file that cannot be opened is refused now. */
function readLog(file: string): LogText {
	return logFileText(file);
}
