import {readFileSync} from 'node:fs';
import {configFromFlags, integer} from '../config.js';
import {clock} from '../format/clock.js';
import {readEventLog} from '../protocol/event-log.js';
import {once} from 'node:events';
import {watchOutputs} from '../lifecycle.js';
import {logHeader} from '../sinks/ndjson.js';
import {describeEvent} from '../sinks/text-log.js';
import {explainer} from '../wording/explain.js';
import {messageOf, UsageError} from '../errors.js';
import type {Remote, SocketEvent} from '../events.js';
import {parseTargetAddress} from '../net/address.js';
import {replayConnection, type TurnResult} from '../net/replayer.js';
import {terminalSafeBytes} from '../protocol/escape-bytes.js';
import {readRecording, type RecordedConnection} from '../protocol/recording.js';
import {plural} from '../format/plural.js';
import type {Flags} from './flags.js';
import type {Io} from './io.js';

/** How a reply is quoted in the report: terminal-safe, at most 80 bytes. */
function quote(bytes: Buffer): string {
	const shown = terminalSafeBytes(bytes.subarray(0, 80));
	return `"${shown.replaceAll('"', '\\\\"')}"${bytes.length > 80 ? '…' : ''}`;
}

function describe(id: number, result: TurnResult): string {
	const what = result.turn === 0 ? 'greeting' : (result.sent.length === 0 ? 'after the last message' : `${quote(result.sent)} →`);
	if (result.differsAt === -1) {
		return `#${id} ${what} same (${plural(result.got.length, 'byte')})`;
	}

	return `#${id} ${what} DIFFERS at byte ${result.differsAt}: recorded ${quote(result.expected)}, got ${quote(result.got)}`;
}

/**
 * `socket-tui replay FILE`: the recorded run again — on the screen when there is a terminal (with
 * --to: against a live server, below), as text otherwise.
 */
export async function runReplay(args: readonly string[], flags: Flags, io: Io): Promise<number> {
	if (args.length !== 1) {
		throw new UsageError('replay needs one log file (written with --log FILE or --json), e.g. socket-tui replay run.ndjson, or socket-tui replay run.ndjson --to 127.0.0.1:9999');
	}

	if (flags.to !== undefined) {
		for (const flag of ['speed', 'run', 'explain'] as const) {
			if (flags[flag] !== undefined) {
				throw new UsageError(`--${flag} is for replaying into the screen or as text, not with --to (which replays every connection of the log)`);
			}
		}

		return replayTo(args[0]!, flags, io);
	}

	if (flags.pace !== undefined) {
		throw new UsageError('--pace is for replay --to HOST:PORT (how fast to send to a live server); on the screen, --speed N');
	}

	const file = args[0]!;
	const config = configFromFlags(flags);
	const speed = flags.speed === undefined ? 1 : Number(flags.speed);
	if (!Number.isFinite(speed) || speed < 0.1 || speed > 1024) {
		throw new UsageError(`--speed takes a number from 0.1 to 1024 (times as fast as recorded), got "${flags.speed}"`);
	}

	const run = flags.run === undefined ? undefined : integer('--run', flags.run, 1, 1, Number.MAX_SAFE_INTEGER);
	const log = readEventLog(readLog(file), file, run);
	if (log.events.length === 0) {
		throw new UsageError(`${file} holds no events to replay`);
	}

	if (io.stdout.isTTY === true && io.stdin.isTTY === true && !config.json) {
		const {runReplayScreen} = await import('./replay-screen.js');
		return runReplayScreen(log, {speed, explain: config.explain, historyFile: undefined});
	}

	// No terminal: the events as the headless modes tell them, in order, at once — every one
	// (no dropping under backpressure: the reader is waited for), and a quiet stop when it leaves.
	const explain = explainer();
	const describe = config.json ? (event: SocketEvent) => JSON.stringify(event) : (event: SocketEvent) => {
		const line = config.explain ? explain(event) : describeEvent(event);
		return line === undefined ? undefined : `${clock(event.ts)} ${line}`;
	};
	const outputs = watchOutputs([io.stdout]);
	try {
		for (const event of config.json ? [logHeader(), ...log.events] : log.events) {
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

function readLog(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		throw new UsageError(`cannot read ${file}: ${messageOf(error)}`);
	}
}

/**
 * `socket-tui replay FILE --to HOST:PORT`: sends the client side of each recorded connection to a
 * live server (one connection after another, each message as soon as the reply to the one before
 * has come) and reports, message by message, where today's replies differ from the recorded
 * ones. Exit 0 when all match; 1 when one differs or the server cannot be reached — for CI.
 */
async function replayTo(file: string, flags: Flags, io: Io): Promise<number> {
	const config = configFromFlags(flags);
	const target = parseTargetAddress(flags.to!, ['tcp', 'unix'], 'by replay --to');
	const remote: Remote = target.path === undefined ? {host: target.host, port: target.port} : {host: target.host, port: 0, path: target.path};
	const recording = readRecording(readLog(file), file);
	if (recording.length === 0) {
		throw new UsageError(`${file} holds no conversation to replay (no messages of serve, connect or relay): nothing would be checked`);
	}

	const pace = flags.pace ?? 'replies';
	if (pace !== 'replies' && pace !== 'recorded') {
		throw new UsageError(`--pace takes replies (each message once the reply before has come; the default) or recorded (as the recording went), got "${pace}"`);
	}

	const timing = {connectTimeoutMs: config.connectTimeoutMs, quietMs: 300, maxWaitMs: 2000};
	let outcomes: Array<{readonly connection: RecordedConnection; readonly results: TurnResult[]}>;
	if (pace === 'recorded') {
		// As recorded: connections overlap as they did, each message at its moment from the first.
		const start = performance.now();
		const first = Math.min(...recording.map(connection => connection.firstTs ?? Number.POSITIVE_INFINITY));
		outcomes = await Promise.all(recording.map(async connection => {
			const anchor = start + Math.max(0, (connection.firstTs ?? first) - first);
			await new Promise(resolve => setTimeout(resolve, Math.max(0, anchor - performance.now() - 50)));
			return {connection, results: await replayConnection(remote, connection, {...timing, anchor})};
		}));
	} else {
		outcomes = [];
		for (const connection of recording) {
			outcomes.push({connection, results: await replayConnection(remote, connection, timing)});
		}
	}

	let same = 0;
	let different = 0;
	for (const {connection, results} of outcomes) {
		for (const result of results) {
			if (result.differsAt === -1) {
				same++;
			} else {
				different++;
			}

			io.stdout.write(config.json
				? `${JSON.stringify({type: 'replay.turn', connection: connection.id, turn: result.turn, same: result.differsAt === -1, differsAt: result.differsAt, sent: result.sent.toString('base64'), expected: result.expected.toString('base64'), got: result.got.toString('base64')})}\n`
				: `${describe(connection.id, result)}\n`);
		}
	}

	const summary = `replayed ${plural(recording.length, 'connection')}: ${plural(same, 'reply', 'replies')} the same, ${different} different`;
	io.stdout.write(config.json ? `${JSON.stringify({type: 'replay.done', connections: recording.length, same, different})}\n` : `${summary}\n`);
	return different === 0 ? 0 : 1;
}
