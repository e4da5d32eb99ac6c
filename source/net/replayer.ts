import {connect, type Socket} from 'node:net';
import type {Remote} from '../events.js';
import {firstDifference, type RecordedConnection} from '../protocol/recording.js';
import {explainConnectError, ExplainedError} from './errors.js';

/** How long to wait for a reply: after its last byte came (`quietMs`), and at most (`maxWaitMs`). */
export type ReplayTiming = {
	readonly connectTimeoutMs: number;
	readonly quietMs: number;
	readonly maxWaitMs: number;
	/**
	 * Recorded pacing: each message goes at this time (performance.now() ms) plus its recorded
	 * offset from the connection's first message, anchored there so delays never add up; a
	 * message whose moment has passed goes at once. Undefined: as fast as the replies come.
	 */
	readonly anchor?: number;
	/** Before each message goes: false stops the replay there (--step: Enter or q). */
	readonly beforeSend?: (sent: Buffer) => Promise<boolean>;
	/** Each reply compared, as soon as it is (the report as it goes). */
	readonly onResult?: (result: TurnResult) => void;
};

/** One reply compared: what was recorded and what came today; `differsAt` -1 when the same. */
export type TurnResult = {
	/** 0: the greeting (before anything was sent); 1…: after the nth message. */
	readonly turn: number;
	readonly sent: Buffer;
	readonly expected: Buffer;
	readonly got: Buffer;
	readonly differsAt: number;
};

/**
 * Replays one recorded connection against a live server, as fast as the replies come: connects,
 * reads what it says first, then sends each recorded message's exact bytes and reads the reply
 * (until as many bytes as were recorded have come, or `quietMs` pass without a byte, or
 * `maxWaitMs`), comparing each with the recording. Rejects with an ExplainedError when the
 * server cannot be reached.
 */
export async function replayConnection(target: Remote, recorded: RecordedConnection, timing: ReplayTiming): Promise<TurnResult[]> {
	const socket = await open(target, timing.connectTimeoutMs);
	let buffer = Buffer.alloc(0);
	let wake: (() => void) | undefined;
	let ended = false;
	socket.on('data', (chunk: Buffer) => {
		buffer = Buffer.concat([buffer, chunk]);
		wake?.();
	});
	socket.on('end', () => {
		ended = true;
		wake?.();
	});
	socket.on('error', () => {
		ended = true;
		wake?.();
	});

	/**
	 * Waits for `expected` bytes, or the end, or `quietMs` without a byte once some came (or when
	 * none are expected), or `maxWaitMs` in all; takes what came, up to `expected` (0: all).
	 */
	const collect = async (expected: number): Promise<Buffer> => {
		const started = Date.now();
		let last = started;
		let seen = buffer.length;
		for (;;) {
			const now = Date.now();
			if ((expected > 0 && buffer.length >= expected) || ended || now - started >= timing.maxWaitMs) {
				break;
			}

			if (now - last >= timing.quietMs && (expected === 0 || buffer.length > 0)) {
				break;
			}

			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, Math.min(timing.quietMs, timing.maxWaitMs - (now - started)));
				wake = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			wake = undefined;
			if (buffer.length !== seen) {
				seen = buffer.length;
				last = Date.now();
			}
		}

		const taken = buffer.subarray(0, expected === 0 ? buffer.length : Math.min(buffer.length, expected));
		buffer = buffer.subarray(taken.length);
		return taken;
	};

	const results: TurnResult[] = [];
	const compare = (turn: number, sent: Buffer, expected: Buffer, got: Buffer): void => {
		const result = {turn, sent, expected, got, differsAt: firstDifference(expected, got)};
		results.push(result);
		timing.onResult?.(result);
	};

	try {
		if (recorded.greeting.length > 0) {
			compare(0, Buffer.alloc(0), recorded.greeting, await collect(recorded.greeting.length));
		}

		for (const [index, turn] of recorded.turns.entries()) {
			if (ended) {
				compare(index + 1, turn.sent, turn.replies, Buffer.alloc(0));
				continue;
			}

			const due = timing.anchor === undefined ? 0 : timing.anchor + (recorded.offsets[index] ?? 0) - performance.now();
			if (due > 0) {
				await new Promise(resolve => setTimeout(resolve, due));
			}

			if (timing.beforeSend && !await timing.beforeSend(turn.sent)) {
				return results;
			}

			socket.write(turn.sent);
			compare(index + 1, turn.sent, turn.replies, await collect(turn.replies.length));
		}

		// Anything more the server says before it goes quiet is a difference too.
		const extra = await collect(0);
		if (extra.length > 0) {
			const last = results.at(-1);
			const result = {turn: (last?.turn ?? 0) + 1, sent: Buffer.alloc(0), expected: Buffer.alloc(0), got: extra, differsAt: 0};
			results.push(result);
			timing.onResult?.(result);
		}
	} finally {
		socket.destroy();
	}

	return results;
}

async function open(target: Remote, timeoutMs: number): Promise<Socket> {
	return new Promise<Socket>((resolve, reject) => {
		const socket = target.path === undefined ? connect({host: target.host, port: target.port, noDelay: true, timeout: timeoutMs}) : connect({path: target.path, timeout: timeoutMs});
		socket.once('connect', () => {
			socket.setTimeout(0);
			resolve(socket);
		});
		socket.once('timeout', () => {
			socket.destroy();
			reject(new ExplainedError({code: 'ETIMEDOUT', message: `${target.host}:${target.port} did not answer within ${timeoutMs} ms`, hint: 'is the server running?'}));
		});
		socket.once('error', error => {
			reject(new ExplainedError(explainConnectError(error, target.host, target.port)));
		});
	});
}
