import type {ConnMessage, ConnRead, ConnReply, SocketEvent, UdpDatagram} from '../events.js';
import {terminalSafeJson} from '../protocol/terminal-safe.js';
import {jsonLine, peerJson} from './json-line.js';

/**
 * Turns events into log lines, folding each common exchange — a read, the plain line framed first
 * from it, its reply and the write of that reply, all with the read's time — into one
 * `conn.exchange` line, and a datagram and its reply into one `udp.exchange` line
 * (protocol/exchange.ts; log version 3). Anything else is written as jsonLine writes it, in the
 * order published. A read or a datagram is held until the events after it show whether they
 * fold; `release` writes what is held (the log flushes it before each write).
 */
export class ExchangeFolder {
	#datagram: UdpDatagram | undefined;
	#read: ConnRead | undefined;
	#message: ConnMessage | undefined;
	#reply: ConnReply | undefined;

	/** The lines for `event`: '' while it is held, or what was held and it (see release). */
	line(event: SocketEvent): string {
		switch (event.type) {
			case 'conn.read': {
				const held = this.release();
				this.#read = event;
				return held;
			}

			case 'udp.datagram': {
				if (event.base64 === undefined && event.denied === undefined) {
					const held = this.release();
					this.#datagram = event;
					return held;
				}

				break;
			}

			case 'udp.reply': {
				const datagram = this.#datagram;
				if (datagram !== undefined && event.ts === datagram.ts && event.peer.port === datagram.peer.port && event.peer.address === datagram.peer.address
					&& event.peer.family === datagram.peer.family && event.base64 === undefined && event.bytes === Buffer.byteLength(event.text, 'utf8')) {
					this.#datagram = undefined;
					return terminalSafeJson(`{"type":"udp.exchange","ts":${datagram.ts},"peer":${peerJson(datagram.peer)},"bytes":${datagram.bytes},"text":${JSON.stringify(datagram.text)},"reply":${JSON.stringify(event.text)}}\n`);
				}

				break;
			}

			case 'conn.message': {
				const read = this.#read;
				if (read !== undefined && this.#message === undefined && event.id === read.id && event.ts === read.ts
					&& event.partial === undefined && event.base64 === undefined && event.eol === undefined && event.skipped === undefined) {
					this.#message = event;
					return '';
				}

				break;
			}

			case 'conn.reply': {
				const message = this.#message;
				if (message !== undefined && this.#reply === undefined && event.id === message.id && event.ts === message.ts && event.kind === 'reply' && event.base64 === undefined) {
					this.#reply = event;
					return '';
				}

				break;
			}

			case 'conn.write': {
				const read = this.#read;
				const reply = this.#reply;
				// The write must be the reply's bytes, exactly (a framed reply is not its text).
				if (read !== undefined && reply !== undefined && event.id === reply.id && event.ts === reply.ts && event.bytes === Buffer.byteLength(reply.text, 'utf8')) {
					const line = terminalSafeJson(`{"type":"conn.exchange","ts":${read.ts},"id":${read.id},"bytes":${read.bytes},"text":${JSON.stringify(this.#message!.text)},"reply":${JSON.stringify(reply.text)}}\n`);
					this.#read = undefined;
					this.#message = undefined;
					this.#reply = undefined;
					return line;
				}

				break;
			}

			default: {
				break;
			}
		}

		return this.release() + jsonLine(event);
	}

	/** The lines of the events held, as they are (no fold); nothing is held after. */
	release(): string {
		if (this.#datagram !== undefined) {
			const line = jsonLine(this.#datagram);
			this.#datagram = undefined;
			return line;
		}

		if (this.#read === undefined) {
			return '';
		}

		let lines = jsonLine(this.#read);
		if (this.#message !== undefined) {
			lines += jsonLine(this.#message);
		}

		if (this.#reply !== undefined) {
			lines += jsonLine(this.#reply);
		}

		this.#read = undefined;
		this.#message = undefined;
		this.#reply = undefined;
		return lines;
	}
}
