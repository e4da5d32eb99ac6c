import type {ConnMessage, ConnRead, ConnReply, ConnWrite} from '../events.js';

/**
 * One log line for the common exchange (log version 3): a read, the first message framed from
 * it, the reply to that message and the write of that reply — four events with one time stamp,
 * written as one line instead of four. Nothing is lost: every field of the four comes back
 * (unfoldExchange), and with them the wire bytes (the message is a plain line ending in "\n";
 * anything else — another line ending, blank lines before it, binary, a partial piece — is
 * written as the four events it is). The bus, the store and the screen still see four events;
 * only the log folds them, since writing them is the log's biggest cost under load (BENCHMARKS.md).
 */
export type ExchangeLine = {
	readonly type: 'conn.exchange';
	/** The read's time (ms since the epoch), shared by the four events. */
	readonly ts: number;
	/** The connection. */
	readonly id: number;
	/** Bytes in the read (the line and its "\n", or more when one read held several lines). */
	readonly bytes: number;
	/** The message, without its "\n" (UTF-8 text). */
	readonly text: string;
	/** The reply sent, exactly (UTF-8 text); the write was its UTF-8 length. */
	readonly reply: string;
};

/** The four events an exchange line stands for, in the order they were published. */
export type UnfoldedExchange = readonly [ConnRead, ConnMessage, ConnReply, ConnWrite];

/** True for a value shaped as an exchange line (what unfoldExchange takes). */
export function isExchangeLine(value: unknown): value is ExchangeLine {
	const line = value as Partial<ExchangeLine> | null;
	return typeof line === 'object' && line !== null && line.type === 'conn.exchange' && typeof line.ts === 'number' && typeof line.id === 'number' && typeof line.bytes === 'number' && typeof line.text === 'string' && typeof line.reply === 'string';
}

/** The read, message, reply and write an exchange line folds (see ExchangeLine). */
export function unfoldExchange({ts, id, bytes, text, reply}: ExchangeLine): UnfoldedExchange {
	return [
		{type: 'conn.read', ts, id, bytes},
		{type: 'conn.message', ts, id, text},
		{type: 'conn.reply', ts, id, kind: 'reply', text: reply},
		{type: 'conn.write', ts, id, bytes: Buffer.byteLength(reply, 'utf8')},
	];
}
