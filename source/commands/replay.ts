import {readFileSync} from 'node:fs';
import {configFromFlags} from '../config.js';
import {messageOf, UsageError} from '../errors.js';
import type {Remote} from '../events.js';
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
 * `socket-tui replay FILE --to HOST:PORT`: sends the client side of each recorded connection to a
 * live server (one connection after another, each message as soon as the reply to the one before
 * has come) and reports, message by message, where today's replies differ from the recorded
 * ones. Exit 0 when all match; 1 when one differs or the server cannot be reached — for CI.
 */
export async function runReplay(args: readonly string[], flags: Flags, io: Io): Promise<number> {
	if (args.length !== 1) {
		throw new UsageError('replay needs one log file (written with --log FILE or --json), e.g. socket-tui replay run.ndjson --to 127.0.0.1:9999');
	}

	if (flags.to === undefined) {
		throw new UsageError('replay needs --to HOST:PORT, the server to replay against (replaying into the screen is not built yet)');
	}

	const config = configFromFlags(flags);
	const target = parseTargetAddress(flags.to, ['tcp', 'unix'], 'by replay --to');
	const remote: Remote = target.path === undefined ? {host: target.host, port: target.port} : {host: target.host, port: 0, path: target.path};
	let text: string;
	try {
		text = readFileSync(args[0]!, 'utf8');
	} catch (error) {
		throw new UsageError(`cannot read ${args[0]!}: ${messageOf(error)}`);
	}

	const recording = readRecording(text, args[0]!);
	if (recording.length === 0) {
		throw new UsageError(`${args[0]!} holds no conversation to replay (no messages of serve, connect or relay): nothing would be checked`);
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
