import type {ConnMessage, ConnRead, ConnReply, ConnWrite, Endpoint, UdpDatagram, UdpReply} from '../events.js';

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

/** The read, message, reply and write an exchange line folds (see ExchangeLine). */
export function unfoldExchange({ts, id, bytes, text, reply}: ExchangeLine): UnfoldedExchange {
	return [
		{type: 'conn.read', ts, id, bytes},
		{type: 'conn.message', ts, id, text},
		{type: 'conn.reply', ts, id, kind: 'reply', text: reply},
		{type: 'conn.write', ts, id, bytes: Buffer.byteLength(reply, 'utf8')},
	];
}

/**
 * One log line for a datagram and the reply to it (log version 3): the two events, one time
 * stamp and one peer, as one line. A datagram that is not UTF-8, one refused by --allow, or one
 * not answered is written as the event it is.
 */
export type UdpExchangeLine = {
	readonly type: 'udp.exchange';
	readonly ts: number;
	/** Who sent the datagram, and got the reply. */
	readonly peer: Endpoint;
	/** The datagram's size (bytes). */
	readonly bytes: number;
	/** The datagram (UTF-8 text). */
	readonly text: string;
	/** The reply sent, exactly (UTF-8 text). */
	readonly reply: string;
};

/** The datagram and reply a UDP exchange line folds. */
export function unfoldUdpExchange({ts, peer, bytes, text, reply}: UdpExchangeLine): readonly [UdpDatagram, UdpReply] {
	return [
		{type: 'udp.datagram', ts, peer, bytes, text},
		{type: 'udp.reply', ts, peer, bytes: Buffer.byteLength(reply, 'utf8'), text: reply},
	];
}

/**
 * The events a log line stands for: a folded line's, or undefined for any other line. The line
 * has been checked to hold its fields (event-fields.ts, as logLines does).
 */
export function unfoldLine(value: unknown): readonly unknown[] | undefined {
	switch ((value as {type?: unknown}).type) {
		case 'conn.exchange': {
			return unfoldExchange(value as ExchangeLine);
		}

		case 'udp.exchange': {
			return unfoldUdpExchange(value as UdpExchangeLine);
		}

		default: {
			return undefined;
		}
	}
}
