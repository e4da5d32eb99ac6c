import type {Framing} from '../events.js';

export type FramedMessage = {
	readonly bytes: Buffer;
	/** A piece of a line longer than the limit; the line goes on in the next message. */
	readonly partial: boolean;
};

export type FramerOptions = {
	readonly framing: Framing;
	/** Longest line kept in memory; a longer one is delivered in pieces of this size. */
	readonly maxLine: number;
	/** Milliseconds of silence after which an unterminated tail is delivered (line framing). */
	readonly idleFlushMs: number;
	readonly onMessage: (message: FramedMessage) => void;
	/** Called once per line that outgrows `maxLine`. */
	readonly onOverflow?: (lineBytesSoFar: number) => void;
};

const LF = 0x0A;
const CR = 0x0D;

/** Drops one trailing `\r`, so CRLF and LF lines read the same. */
function withoutCr(bytes: Buffer): Buffer {
	return bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, -1) : bytes;
}

/**
 * Cuts a TCP byte stream into messages.
 *
 * - `line`: a message ends at `\n` (a `\r` before it is dropped). An unterminated tail is
 *   delivered after `idleFlushMs` of silence or at `end()`, so a peer that never sends a newline
 *   (the tutorial's client) is still answered. Memory per connection is bounded by `maxLine`.
 * - `chunk`: one read is one message, as the tutorial's `recv(1024)`; one trailing EOL is dropped.
 */
export class Framer {
	readonly #options: FramerOptions;
	#pending: Buffer[] = [];
	#pendingLength = 0;
	/** Bytes of the current line already delivered as partial pieces. */
	#overflowed = 0;
	#timer: NodeJS.Timeout | undefined;

	constructor(options: FramerOptions) {
		this.#options = options;
	}

	push(chunk: Buffer): void {
		if (this.#options.framing === 'chunk') {
			this.#deliverChunk(chunk);
			return;
		}

		let start = 0;
		let newline = chunk.indexOf(LF, start);
		while (newline !== -1) {
			if (this.#pendingLength === 0 && newline - start <= this.#options.maxLine) {
				// The common case, a whole line inside one read: no copy, no buffering.
				this.#deliverLine(chunk.subarray(start, newline));
			} else {
				this.#append(chunk.subarray(start, newline));
				this.#flushLine(false);
			}

			start = newline + 1;
			newline = chunk.indexOf(LF, start);
		}

		if (start < chunk.length) {
			this.#append(chunk.subarray(start));
		}

		this.#armIdleTimer();
	}

	/** Delivers whatever is left (EOF). */
	end(): void {
		this.#clearTimer();
		if (this.#pendingLength > 0) {
			this.#flushLine(false);
		}

		this.#overflowed = 0;
	}

	/** Forgets any buffered bytes and stops the idle timer (connection gone). */
	dispose(): void {
		this.#clearTimer();
		this.#pending = [];
		this.#pendingLength = 0;
	}

	/** Bytes buffered, waiting for a newline. */
	get buffered(): number {
		return this.#pendingLength;
	}

	#deliverChunk(chunk: Buffer): void {
		let bytes = chunk;
		if (bytes.length > 0 && bytes[bytes.length - 1] === LF) {
			bytes = withoutCr(bytes.subarray(0, -1));
		}

		const {maxLine} = this.#options;
		if (bytes.length === 0) {
			return;
		}

		if (bytes.length <= maxLine) {
			this.#options.onMessage({bytes, partial: false});
			return;
		}

		this.#options.onOverflow?.(bytes.length);
		for (let offset = 0; offset < bytes.length; offset += maxLine) {
			const end = Math.min(offset + maxLine, bytes.length);
			this.#options.onMessage({bytes: bytes.subarray(offset, end), partial: end < bytes.length});
		}
	}

	#append(piece: Buffer): void {
		const {maxLine} = this.#options;
		let rest = piece;
		while (this.#pendingLength + rest.length > maxLine) {
			const room = maxLine - this.#pendingLength;
			this.#pending.push(rest.subarray(0, room));
			this.#pendingLength += room;
			rest = rest.subarray(room);
			if (this.#overflowed === 0) {
				this.#options.onOverflow?.(this.#pendingLength + rest.length);
			}

			this.#flushLine(true);
		}

		if (rest.length > 0) {
			this.#pending.push(rest);
			this.#pendingLength += rest.length;
		}
	}

	#flushLine(partial: boolean): void {
		const joined = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingLength);
		this.#pending = [];
		this.#pendingLength = 0;
		if (partial) {
			this.#overflowed += joined.length;
			this.#options.onMessage({bytes: joined, partial});
		} else {
			this.#deliverLine(joined);
		}
	}

	/** A whole line (its `\n` already cut off). */
	#deliverLine(line: Buffer): void {
		this.#overflowed = 0;
		const bytes = withoutCr(line);
		// An empty line is not a message (nothing to greet); its bytes are still counted as read.
		if (bytes.length > 0) {
			this.#options.onMessage({bytes, partial: false});
		}
	}

	#armIdleTimer(): void {
		if (this.#pendingLength === 0) {
			this.#clearTimer();
			return;
		}

		if (this.#timer) {
			this.#timer.refresh();
			return;
		}

		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			if (this.#pendingLength > 0) {
				this.#flushLine(false);
			}
		}, this.#options.idleFlushMs);
		// An idle flush must never keep the process alive on its own.
		this.#timer.unref();
	}

	#clearTimer(): void {
		if (this.#timer) {
			clearTimeout(this.#timer);
			this.#timer = undefined;
		}
	}
}
