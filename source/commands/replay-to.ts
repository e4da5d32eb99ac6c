import {createInterface} from 'node:readline';
import chalk, {Chalk} from 'chalk';
import {configFromFlags, integer} from '../config.js';
import {UsageError} from '../errors.js';
import type {Remote} from '../events.js';
import {plural} from '../format/plural.js';
import {parseTargetAddress} from '../net/address.js';
import {replayConnection, type TurnResult} from '../net/replayer.js';
import {terminalSafeBytes} from '../protocol/escape-bytes.js';
import {logNotes} from '../protocol/log-lines.js';
import type {LogText} from '../protocol/log-lines.js';
import {readRecording, type RecordedConnection} from '../protocol/recording.js';
import {logHeader} from '../sinks/ndjson.js';
import type {Flags} from './flags.js';
import type {Io} from './io.js';

/**
 * How bytes are quoted in the report: terminal-safe, at most 80 of them — from `from` on (a
 * difference far into a reply is shown with the 20 bytes before it), `…` where some are left out.
 */
function quote(bytes: Buffer, from = 0): string {
	const start = Math.max(0, Math.min(from, bytes.length));
	const shown = terminalSafeBytes(bytes.subarray(start, start + 80));
	return `${start > 0 ? '…' : ''}"${shown.replaceAll('"', '\\\\"')}"${bytes.length > start + 80 ? '…' : ''}`;
}

function describe(name: string, result: TurnResult, paint: InstanceType<typeof Chalk>): string {
	const what = result.turn === 0 ? 'greeting' : (result.sent.length === 0 ? 'after the last message' : `${quote(result.sent)} →`);
	if (result.differsAt === -1) {
		return `${name} ${what} ${paint.green('same')} (${plural(result.got.length, 'byte')})`;
	}

	// Both replies from 20 bytes before the first difference, so that it shows.
	const from = result.differsAt > 60 ? result.differsAt - 20 : 0;
	return `${name} ${what} ${paint.red(`DIFFERS at byte ${result.differsAt}`)}: recorded ${quote(result.expected, from)}, got ${quote(result.got, from)}`;
}

/** What the turns of one connection came to. */
type Outcome = {readonly connection: RecordedConnection; readonly results: TurnResult[]};

/**
 * `socket-tui replay FILE --to HOST:PORT`: sends the client side of each recorded connection to a
 * live server and reports, message by message, where today's replies differ from the recorded
 * ones — as each reply comes (with --pace recorded, once the overlapping connections are done),
 * in colour on a terminal, as NDJSON with --json. Pacing: each message as soon as the reply to
 * the one before has come (default); as recorded (--pace recorded); or one at a time on Enter
 * (--step, from a terminal; q and Enter stops). Exit 0 when all match; 1 when one differs, the
 * run was stopped, or the server cannot be reached — for CI.
 */
export async function replayTo(text: LogText, file: string, flags: Flags, io: Io): Promise<number> {
	const config = configFromFlags(flags);
	const target = parseTargetAddress(flags.to!, ['tcp', 'unix'], 'by replay --to');
	const remote: Remote = target.path === undefined ? {host: target.host, port: target.port} : {host: target.host, port: 0, path: target.path};
	const read = readRecording(text, file);
	const everything = read.connections;
	const runs = Math.max(0, ...everything.map(connection => connection.run));
	const run = flags.run === undefined ? undefined : integer('run', flags.run, 1, 1, 100_000);
	if (run !== undefined && run > runs) {
		throw new UsageError(`${file} holds ${plural(runs, 'run')} with a conversation: --run takes 1 to ${runs}`);
	}

	const recording = run === undefined ? everything : everything.filter(connection => connection.run === run);
	// A log of several runs: each connection is named by its run too (ids restart with each run).
	const name = (connection: RecordedConnection): string => (runs > 1 && run === undefined ? `run ${connection.run} #${connection.id}` : `#${connection.id}`);
	for (const note of logNotes(read, file, 'replaying the rest', 'replaying what it knows')) {
		io.stderr.write(`socket-tui: ${note}\n`);
	}

	if (recording.length === 0) {
		throw new UsageError(`${file} holds no conversation to replay (no messages of serve, connect or relay): nothing would be checked`);
	}

	const pace = flags.pace ?? 'replies';
	if (pace !== 'replies' && pace !== 'recorded') {
		throw new UsageError(`--pace takes replies (each message once the reply before has come; the default) or recorded (as the recording went), got "${pace}"`);
	}

	if (flags.step && (flags.pace !== undefined || io.stdin.isTTY !== true)) {
		throw new UsageError(flags.pace === undefined ? '--step waits for Enter from a terminal: stdin is not one' : '--step and --pace: give one (--step sends each message when you press Enter)');
	}

	// Colour for a person (NO_COLOR aside); plain for a pipe or a file.
	const paint = new Chalk({level: io.stdout.isTTY === true && !config.json && (process.env['NO_COLOR'] ?? '') === '' ? chalk.level : 0});
	let same = 0;
	let different = 0;
	if (config.json) {
		// NDJSON, so it opens as every log does (README, "The log").
		io.stdout.write(`${JSON.stringify(logHeader())}\n`);
	}

	const report = (connection: RecordedConnection, result: TurnResult): void => {
		if (result.differsAt === -1) {
			same++;
		} else {
			different++;
		}

		io.stdout.write(config.json
			? `${JSON.stringify({type: 'replay.turn', ts: Date.now(), ...(runs > 1 ? {run: connection.run} : {}), connection: connection.id, turn: result.turn, same: result.differsAt === -1, differsAt: result.differsAt, sent: result.sent.toString('base64'), expected: result.expected.toString('base64'), got: result.got.toString('base64')})}\n`
			: `${describe(name(connection), result, paint)}\n`);
	};

	const timing = {connectTimeoutMs: config.connectTimeoutMs, quietMs: 300, maxWaitMs: 2000};
	let stopped = false;
	if (pace === 'recorded') {
		// As recorded: connections overlap as they did, each message at its moment from the first.
		const start = performance.now();
		const first = Math.min(...recording.map(connection => connection.firstTs ?? Number.POSITIVE_INFINITY));
		const outcomes: Outcome[] = await Promise.all(recording.map(async connection => {
			const anchor = start + Math.max(0, (connection.firstTs ?? first) - first);
			await new Promise(resolve => setTimeout(resolve, Math.max(0, anchor - performance.now() - 50)));
			return {connection, results: await replayConnection(remote, connection, {...timing, anchor})};
		}));
		for (const {connection, results} of outcomes) {
			for (const result of results) {
				report(connection, result);
			}
		}
	} else {
		const enter = flags.step ? stepper(io) : undefined;
		// Ctrl+C stops where it is, as q does: the summary still comes (exit 1: not all was checked).
		let interrupted = false;
		const onInterrupt = (): void => {
			interrupted = true;
			enter?.interrupt();
		};

		process.once('SIGINT', onInterrupt);
		try {
			for (const connection of recording) {
				const beforeSend = async (sent: Buffer): Promise<boolean> => !interrupted && (enter === undefined || enter(`${name(connection)} next: ${quote(sent)} · Enter sends it, q Enter stops`));
				await replayConnection(remote, connection, {...timing, beforeSend, onResult: result => report(connection, result)});
				if (interrupted || enter?.stopped()) {
					stopped = true;
					break;
				}
			}
		} finally {
			process.off('SIGINT', onInterrupt);
			enter?.close();
		}
	}

	const summary = `replayed ${plural(recording.length, 'connection')}: ${plural(same, 'reply', 'replies')} the same, ${different} different${stopped ? ' (stopped before the end)' : ''}`;
	io.stdout.write(config.json ? `${JSON.stringify({type: 'replay.done', ts: Date.now(), connections: recording.length, same, different, ...(stopped ? {stopped} : {})})}\n` : `${summary}\n`);
	return different === 0 && !stopped ? 0 : 1;
}

/** --step: asks before each message and waits for Enter (true: send it) or q (false: stop). */
function stepper(io: Io) {
	const lines = createInterface({input: io.stdin, terminal: false});
	const queue: string[] = [];
	let waiting: ((line: string | undefined) => void) | undefined;
	let closed = false;
	let stop = false;
	lines.on('line', line => {
		if (waiting) {
			waiting(line);
		} else {
			queue.push(line);
		}
	});
	lines.on('close', () => {
		closed = true;
	});
	// Stopped at a prompt (Ctrl+D, Ctrl+C): the summary starts on a line of its own.
	const stopAtPrompt = (): void => {
		if (waiting) {
			io.stdout.write('\n');
			waiting(undefined);
		}
	};

	const ask = async (prompt: string): Promise<boolean> => {
		if (stop) {
			return false;
		}

		// An answer typed ahead was echoed then, not here: the prompt ends its own line.
		io.stdout.write(queue.length > 0 ? `${prompt}\n` : `${prompt} `);
		const line = queue.shift() ?? (closed ? undefined : await new Promise<string | undefined>(resolve => {
			waiting = resolve;
		}));
		waiting = undefined;
		stop = line === undefined || line.trim().toLowerCase() === 'q';
		return !stop;
	};

	lines.on('close', stopAtPrompt);
	return Object.assign(ask, {stopped: () => stop, close: () => lines.close(), interrupt: stopAtPrompt});
}
