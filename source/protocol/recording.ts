import {LogFileError} from '../errors.js';
import {eachLogValue, type LogText} from './log-lines.js';
import {payloadBytes} from './payload.js';

/** One exchange of a recorded connection: what its client sent, and what came back before it sent again. */
export type Turn = {readonly sent: Buffer; readonly replies: Buffer};

/**
 * A recorded connection, as a client replays it: what the server said first (the welcome), then
 * each message the client sent with the replies that came back before the next.
 */
export type RecordedConnection = {
	/** The recording's connection id (server, relay) or client id. */
	readonly id: number;
	/** Which run of the log it is from (1…: a --log file is appended to run after run). */
	readonly run: number;
	readonly greeting: Buffer;
	readonly turns: Turn[];
	/** When its first message went, ms since the epoch (for recorded pacing). */
	readonly firstTs: number | undefined;
	/** Each turn's send time relative to the first (ms). */
	readonly offsets: number[];
	/** The server closed the connection after the last message (the tutorial's `exit`). */
	readonly closedAfterLast: boolean;
};

type Raw = Record<string, unknown> & {type?: string; ts?: number; id?: number; text?: string; base64?: string; eol?: string; skipped?: string; from?: string; captured?: number; bytes?: number};

const none = Buffer.alloc(0);

/** What a payload event stands for on the wire: its blank lines before, its bytes, its line ending. */
function wire(event: Raw, withEnding: boolean): Buffer {
	const payload = payloadBytes({text: event.text ?? '', ...(event.base64 === undefined ? {} : {base64: event.base64})});
	if (!withEnding) {
		return payload;
	}

	return Buffer.concat([Buffer.from(event.skipped ?? '', 'latin1'), payload, Buffer.from(event.eol ?? '\n', 'latin1')]);
}

/** The conversations of a log, and what its readers should say of it (log-lines.ts, logNotes). */
export type Recording = {readonly connections: RecordedConnection[]; readonly cut: boolean; readonly version: number};

/**
 * Reads a log written by --log/--json (any mode) into the connections a client could replay:
 * a server's (`conn.message` sent, `conn.reply` back), a client's (`client.sent`,
 * `client.received`) or a relay's (`relay.data` from the client, from the upstream). The exact
 * wire bytes come from the log's payloads and line endings (log versions 2 and 3; README, "The log").
 * Throws a LogFileError for a file that is not such a log, or a relay log whose payloads were cut
 * by --capture-bytes (those bytes cannot be sent again).
 */
export function readRecording(text: LogText, file: string): Recording {
	// A --log file is appended to run after run, each starting with its header: ids restart with
	// each run, so a connection is known by its run and its id.
	let run = 0;
	const connections = new Map<string, {id: number; run: number; greeting: Buffer[]; turns: Array<{sent: Buffer; replies: Buffer[]; ts: number}>; closedAfterLast?: boolean}>();
	const connection = (id: number) => {
		const key = `${run}:${id}`;
		let found = connections.get(key);
		if (!found) {
			found = {id, run: Math.max(1, run), greeting: [], turns: []};
			connections.set(key, found);
		}

		return found;
	};

	const send = (id: number, bytes: Buffer, ts: number): void => {
		connection(id).turns.push({sent: bytes, replies: [], ts});
	};

	const reply = (id: number, bytes: Buffer): void => {
		const found = connection(id);
		const last = found.turns.at(-1);
		(last ? last.replies : found.greeting).push(bytes);
	};

	let count = 0;
	const {cut, version} = eachLogValue(text, file, (value, line) => {
		count++;
		if (typeof value !== 'object' || value === null) {
			return;
		}

		const event = value as Raw;
		const id = event.id ?? 0;
		const ts = event.ts ?? 0;
		switch (event.type) {
			case 'log.header': {
				run++;
				break;
			}

			case 'conn.message':
			case 'client.sent': {
				send(id, wire(event, event.type === 'conn.message'), ts);
				break;
			}

			case 'conn.reply': {
				reply(id, wire(event, false));
				break;
			}

			case 'client.received': {
				reply(id, wire(event, true));
				break;
			}

			case 'conn.close': {
				if (event['reason'] === 'exit') {
					connection(id).closedAfterLast = true;
				}

				break;
			}

			case 'relay.data': {
				if ((event.captured ?? 0) < (event.bytes ?? 0)) {
					throw new LogFileError(`${file}:${line}: this relay log kept only part of the bytes (--capture-bytes): they cannot be sent again`);
				}

				if (event.from === 'client') {
					send(id, wire(event, false), ts);
				} else {
					reply(id, wire(event, false));
				}

				break;
			}

			default: {
				break;
			}
		}
	});

	if (count === 0) {
		throw new LogFileError(`${file} is empty: nothing to replay`);
	}

	const recorded = [...connections.values()].filter(({turns}) => turns.length > 0).map(({id, run, greeting, turns, closedAfterLast}) => {
		const firstTs = turns[0]?.ts;
		return {
			id,
			run,
			greeting: greeting.length === 0 ? none : Buffer.concat(greeting),
			turns: turns.map(turn => ({sent: turn.sent, replies: Buffer.concat(turn.replies)})),
			firstTs,
			offsets: turns.map(turn => turn.ts - (firstTs ?? turn.ts)),
			closedAfterLast: closedAfterLast ?? false,
		};
	});
	return {connections: recorded, cut, version};
}

/** Where two byte strings first differ (the shorter one's length when one is a prefix); -1 when equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
	const length = Math.min(a.length, b.length);
	for (let index = 0; index < length; index++) {
		if (a[index] !== b[index]) {
			return index;
		}
	}

	return a.length === b.length ? -1 : length;
}
