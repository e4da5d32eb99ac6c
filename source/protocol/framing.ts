import type {Framing} from '../events.js';
import {incompleteUtf8Tail} from './utf8.js';

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
	/**
	 * A tail that ends inside a UTF-8 character or in a CR (maybe half of a CRLF) waits this much
	 * longer for the rest before it is delivered anyway. Default 1000 ms.
	 */
	readonly heldFlushMs?: number;
	readonly onMessage: (message: FramedMessage) => void;
	/** Called once per line that outgrows `maxLine`. */
	readonly onOverflow?: (lineBytesSoFar: number) => void;
};

const LF = 0x0A;
const CR = 0x0D;

const defaultHeldFlushMs = 1000;

/** Drops one trailing `\r`, so CRLF and LF lines read the same. */
function withoutCr(bytes: Buffer): Buffer {
	return bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, -1) : bytes;
}

/** Bytes at `end` that must not end a piece: an incomplete UTF-8 character, or a CR. */
function heldBack(bytes: Uint8Array, end: number): number {
	const partial = incompleteUtf8Tail(bytes, end);
	return partial > 0 ? partial : (end > 0 && bytes[end - 1] === CR ? 1 : 0);
}

/**
 * Cuts a TCP byte stream into messages.
 *
 * - `line`: a message ends at `\n` (a `\r` before it is dropped). An unterminated tail is
 *   delivered after `idleFlushMs` of silence or at `end()`, so a peer that never sends a newline
 *   (the tutorial's client) is still answered. Memory per connection is bounded by `maxLine`.
 *   No message is ever cut inside a UTF-8 character or between the CR and LF of a line ending:
 *   a tail that ends in one waits `heldFlushMs` more for the rest (then goes as it is), and a
 *   line longer than `maxLine` is cut a few bytes early instead (pieces stay ≤ maxLine).
 * - `chunk`: one read is one message, as the tutorial's `recv(1024)`; one trailing EOL is dropped.
 *   It cuts where the reads fell, inside a character too: that is what it shows.
 */
export class Framer {
	readonly #options: FramerOptions;
	#pending: Buffer[] = [];
	#pendingLength = 0;
	/** Bytes of the current line already delivered as partial pieces. */
	#overflowed = 0;
	#timer: NodeJS.Timeout | undefined;
	/** The idle timer has already waited once for the rest of a held tail. */
	#deferred = false;

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
		if (this.#pendingLength + piece.length <= maxLine) {
			if (piece.length > 0) {
				this.#pending.push(piece);
				this.#pendingLength += piece.length;
			}

			return;
		}

		const joined = this.#pending.length === 0 ? piece : Buffer.concat([...this.#pending, piece]);
		if (this.#overflowed === 0) {
			this.#options.onOverflow?.(joined.length);
		}

		let offset = 0;
		while (joined.length - offset > maxLine) {
			const end = offset + maxLine - heldBack(joined, offset + maxLine);
			const bytes = joined.subarray(offset, end);
			this.#overflowed += bytes.length;
			this.#options.onMessage({bytes, partial: true});
			offset = end;
		}

		this.#pending = offset < joined.length ? [joined.subarray(offset)] : [];
		this.#pendingLength = joined.length - offset;
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

		if (this.#timer && !this.#deferred) {
			this.#timer.refresh();
			return;
		}

		this.#deferred = false;
		this.#startTimer(this.#options.idleFlushMs);
	}

	#startTimer(ms: number): void {
		clearTimeout(this.#timer);
		this.#timer = setTimeout(this.#onIdle, ms);
		// An idle flush must never keep the process alive on its own.
		this.#timer.unref();
	}

	readonly #onIdle = (): void => {
		this.#timer = undefined;
		if (this.#pendingLength === 0) {
			return;
		}

		if (!this.#deferred) {
			const joined = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingLength);
			this.#pending = [joined];
			if (heldBack(joined, joined.length) > 0) {
				// The rest of a character or of a CRLF is probably on its way: wait for it once.
				this.#deferred = true;
				this.#startTimer(this.#options.heldFlushMs ?? defaultHeldFlushMs);
				return;
			}
		}

		this.#deferred = false;
		this.#flushLine(false);
	};

	#clearTimer(): void {
		if (this.#timer) {
			clearTimeout(this.#timer);
			this.#timer = undefined;
		}

		this.#deferred = false;
	}
}
