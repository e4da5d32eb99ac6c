import type {Framing} from '../events.js';
import {incompleteUtf8Tail} from './utf8.js';

export type FramedMessage = {
	readonly bytes: Buffer;
	/** A piece of a line longer than the limit; the line goes on in the next message. */
	readonly partial: boolean;
	/**
	 * The exact bytes that ended it and were cut off: `\n` (the shared `lineFeed` buffer, the
	 * common case), `\r\n`, `\r`, or none (a tail, a piece, a chunk without one).
	 */
	readonly ending: Buffer;
	/** Empty lines before it (not messages), as the exact bytes they were: usually none. */
	readonly skipped: Buffer;
};

/** The ending of most lines; a message's `ending` is this very buffer when it was `\n`. */
export const lineFeed = Buffer.from('\n');
const crlf = Buffer.from('\r\n');
const carriageReturn = Buffer.from('\r');
const none = Buffer.alloc(0);

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
	/**
	 * Empty lines are messages too (with empty `bytes`), delivered at once: a relay must pass
	 * HTTP's blank line on when it arrives. Default false: they are `skipped` of the next message.
	 */
	readonly emptyLines?: boolean;
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
	/** Empty lines since the last message, as their exact bytes. */
	#skipped: Buffer[] = [];

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
				this.#deliverLine(chunk.subarray(start, newline), true);
			} else {
				this.#append(chunk.subarray(start, newline));
				this.#flushLine(true);
			}

			start = newline + 1;
			newline = chunk.indexOf(LF, start);
		}

		if (start < chunk.length) {
			this.#append(chunk.subarray(start));
		}

		this.#armIdleTimer();
	}

	/**
	 * Delivers whatever is left (EOF). Returns the empty lines that came after the last message
	 * (their exact bytes), which no message carries.
	 */
	end(): Buffer {
		this.#clearTimer();
		if (this.#pendingLength > 0) {
			this.#flushLine(false);
		}

		this.#overflowed = 0;
		return this.#takeSkipped();
	}

	/** Forgets any buffered bytes and stops the idle timer (connection gone). */
	dispose(): void {
		this.#clearTimer();
		this.#pending = [];
		this.#pendingLength = 0;
		this.#skipped = [];
	}

	#takeSkipped(): Buffer {
		if (this.#skipped.length === 0) {
			return none;
		}

		const skipped = Buffer.concat(this.#skipped);
		this.#skipped = [];
		return skipped;
	}

	#emit(bytes: Buffer, partial: boolean, ending: Buffer): void {
		this.#options.onMessage({bytes, partial, ending, skipped: this.#takeSkipped()});
	}

	/** Bytes buffered, waiting for a newline. */
	get buffered(): number {
		return this.#pendingLength;
	}

	#deliverChunk(chunk: Buffer): void {
		let bytes = chunk;
		let ending = none;
		if (bytes.length > 0 && bytes[bytes.length - 1] === LF) {
			bytes = withoutCr(bytes.subarray(0, -1));
			ending = bytes.length === chunk.length - 2 ? crlf : lineFeed;
		}

		const {maxLine} = this.#options;
		if (bytes.length === 0 && !this.#options.emptyLines) {
			this.#skipped.push(ending);
			return;
		}

		if (bytes.length <= maxLine) {
			if (bytes.length > 0 || ending.length > 0) {
				this.#emit(bytes, false, ending);
			}

			return;
		}

		this.#options.onOverflow?.(bytes.length);
		for (let offset = 0; offset < bytes.length; offset += maxLine) {
			const end = Math.min(offset + maxLine, bytes.length);
			this.#emit(bytes.subarray(offset, end), end < bytes.length, end < bytes.length ? none : ending);
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

		if (this.#overflowed === 0) {
			this.#options.onOverflow?.(this.#pendingLength + piece.length);
		}

		// Pieces of maxLine bytes, each cut a little early when it would split a character or a
		// CRLF. Views into the read where possible: only a piece that starts with bytes held from
		// before is copied (at most maxLine bytes), so a flood costs no more than its own reads.
		let rest = piece;
		while (this.#pendingLength + rest.length > maxLine) {
			let candidate: Buffer;
			if (this.#pendingLength === 0) {
				candidate = rest.subarray(0, maxLine);
				rest = rest.subarray(maxLine);
			} else {
				const take = maxLine - this.#pendingLength;
				candidate = Buffer.concat([...this.#pending, rest.subarray(0, take)], maxLine);
				rest = rest.subarray(take);
			}

			const end = maxLine - heldBack(candidate, maxLine);
			const bytes = candidate.subarray(0, end);
			const held = candidate.subarray(end);
			this.#pending = held.length > 0 ? [held] : [];
			this.#pendingLength = held.length;
			this.#overflowed += bytes.length;
			this.#emit(bytes, true, none);
		}

		if (rest.length > 0) {
			this.#pending.push(rest);
			this.#pendingLength += rest.length;
		}
	}

	/** Delivers what is pending as a line; `terminated`: a `\n` ended it (else it is a tail). */
	#flushLine(terminated: boolean): void {
		const joined = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingLength);
		this.#pending = [];
		this.#pendingLength = 0;
		this.#deliverLine(joined, terminated);
	}

	/** A line (its `\n`, when `terminated`, already cut off). */
	#deliverLine(line: Buffer, terminated: boolean): void {
		this.#overflowed = 0;
		const bytes = withoutCr(line);
		const ending = bytes.length === line.length ? (terminated ? lineFeed : none) : (terminated ? crlf : carriageReturn);
		// An empty line is not a message (nothing to greet); its bytes are kept for the next one.
		if (bytes.length > 0 || (this.#options.emptyLines && (line.length > 0 || terminated))) {
			this.#emit(bytes, false, ending);
		} else if (line.length > 0 || terminated) {
			this.#skipped.push(ending);
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
