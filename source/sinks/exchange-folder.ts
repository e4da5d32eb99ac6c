import type {ConnMessage, ConnRead, ConnReply, SocketEvent} from '../events.js';
import {jsonLine} from './json-line.js';

/**
 * Turns events into log lines, folding each common exchange — a read, the plain line framed first
 * from it, its reply and the write of that reply, all with the read's time — into one
 * `conn.exchange` line (protocol/exchange.ts; log version 3). Anything else is written as
 * jsonLine writes it, in the order published. A read is held until the events after it show
 * whether they fold; `release` writes what is held (the log flushes it before each write).
 */
export class ExchangeFolder {
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
					const line = `{"type":"conn.exchange","ts":${read.ts},"id":${read.id},"bytes":${read.bytes},"text":${JSON.stringify(this.#message!.text)},"reply":${JSON.stringify(reply.text)}}\n`;
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
