import type {Framing} from '../events.js';
import type {FramedMessage, FramerOptions} from './framing.js';

/** A length prefix's width and byte order (`len:u16be`…). */
export type LengthPrefix = {readonly size: 1 | 2 | 4; readonly littleEndian: boolean};

/** A framing that is not line or chunk: a length prefix, or a delimiter of any bytes. */
export type BinaryFraming = {readonly kind: 'len'; readonly prefix: LengthPrefix} | {readonly kind: 'delim'; readonly delimiter: Buffer};

const prefixes: Record<string, LengthPrefix> = {
	u8: {size: 1, littleEndian: false},
	u16be: {size: 2, littleEndian: false},
	u16le: {size: 2, littleEndian: true},
	u32be: {size: 4, littleEndian: false},
	u32le: {size: 4, littleEndian: true},
};

/** The forms --framing takes. */
export const framingForms = 'line, chunk, len:u8|u16be|u16le|u32be|u32le, delim:HEX';

/** `len:u16be` or `delim:0d0a` as a BinaryFraming; undefined for line and chunk (and anything else). */
export function binaryFraming(framing: Framing | string): BinaryFraming | undefined {
	const length = /^len:(u8|u16be|u16le|u32be|u32le)$/i.exec(framing);
	if (length) {
		return {kind: 'len', prefix: prefixes[length[1]!.toLowerCase()]!};
	}

	const delimiter = /^delim:((?:[\da-f]{2})+)$/i.exec(framing);
	return delimiter ? {kind: 'delim', delimiter: Buffer.from(delimiter[1]!, 'hex')} : undefined;
}

/** True for the framings --framing accepts. */
export function isFraming(value: string): value is Framing {
	return value === 'line' || value === 'chunk' || binaryFraming(value) !== undefined;
}

function readLength(bytes: Buffer, {size, littleEndian}: LengthPrefix): number {
	if (size === 1) {
		return bytes[0]!;
	}

	if (size === 2) {
		return littleEndian ? bytes.readUInt16LE(0) : bytes.readUInt16BE(0);
	}

	return littleEndian ? bytes.readUInt32LE(0) : bytes.readUInt32BE(0);
}

function writeLength(length: number, {size, littleEndian}: LengthPrefix): Buffer {
	const prefix = Buffer.alloc(size);
	if (size === 1) {
		prefix[0] = length;
	} else if (size === 2) {
		if (littleEndian) {
			prefix.writeUInt16LE(length);
		} else {
			prefix.writeUInt16BE(length);
		}
	} else if (littleEndian) {
		prefix.writeUInt32LE(length);
	} else {
		prefix.writeUInt32BE(length);
	}

	return prefix;
}

/**
 * Bytes as frames of this framing: a length prefix before each (a payload longer than the prefix
 * can count goes as several frames), or the delimiter after it.
 */
export function encodeFrame(framing: BinaryFraming, payload: Buffer): Buffer {
	if (framing.kind === 'delim') {
		return Buffer.concat([payload, framing.delimiter]);
	}

	const most = framing.prefix.size === 1 ? 0xFF : (framing.prefix.size === 2 ? 0xFF_FF : 0xFF_FF_FF_FF);
	const frames: Buffer[] = [];
	for (let offset = 0; offset === 0 || offset < payload.length; offset += most) {
		const piece = payload.subarray(offset, offset + most);
		frames.push(writeLength(piece.length, framing.prefix), piece);
	}

	return Buffer.concat(frames);
}

const none = Buffer.alloc(0);

/**
 * Cuts a byte stream by a length prefix or a delimiter (binary protocols), as Framer does by
 * lines: each message's `skipped` is its length prefix (len:) and `ending` its delimiter
 * (delim:), so the wire bytes can be rebuilt exactly. A frame longer than `maxLine` is delivered
 * in pieces of `maxLine` (partial) as it arrives; what is left at the end of the stream is
 * delivered as a partial message. Nothing is flushed on silence: a frame is whole or waits.
 */
export class BinaryFramer {
	#pending: Buffer = none;
	/** len: payload bytes still to come of a frame being delivered in pieces (0: none). */
	#remaining = 0;

	constructor(
		private readonly framing: BinaryFraming,
		private readonly options: Pick<FramerOptions, 'maxLine' | 'onMessage' | 'onOverflow'>,
	) {}

	get buffered(): number {
		return this.#pending.length;
	}

	push(chunk: Buffer): void {
		this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
		if (this.framing.kind === 'len') {
			this.#cutByLength(this.framing.prefix);
		} else {
			this.#cutByDelimiter(this.framing.delimiter);
		}
	}

	/** The stream ended: what is left goes as one partial message. Returns no skipped bytes. */
	end(): Buffer {
		const size = this.framing.kind === 'len' && this.#remaining === 0 ? this.framing.prefix.size : 0;
		if (this.#pending.length > 0) {
			// A frame cut short: its prefix (when whole) stays its skipped bytes.
			const head = this.#pending.length >= size ? this.#pending.subarray(0, size) : none;
			this.#emit(this.#pending.subarray(head.length), true, none, Buffer.from(head));
			this.#pending = none;
		}

		return none;
	}

	dispose(): void {
		this.#pending = none;
	}

	#emit(bytes: Buffer, partial: boolean, ending: Buffer, skipped: Buffer): void {
		const message: FramedMessage = {bytes, partial, ending, skipped};
		this.options.onMessage(message);
	}

	#cutByLength(prefix: LengthPrefix): void {
		const {maxLine} = this.options;
		for (;;) {
			if (this.#remaining > 0) {
				// The rest of an over-long frame, in pieces as it comes.
				const take = Math.min(this.#remaining, this.#pending.length, maxLine);
				if (take === 0 || (take < maxLine && take < this.#remaining)) {
					return;
				}

				this.#remaining -= take;
				this.#emit(this.#pending.subarray(0, take), this.#remaining > 0, none, none);
				this.#pending = this.#pending.subarray(take);
				continue;
			}

			if (this.#pending.length < prefix.size) {
				return;
			}

			const length = readLength(this.#pending, prefix);
			const head = this.#pending.subarray(0, prefix.size);
			if (length > maxLine) {
				this.options.onOverflow?.(length);
				this.#remaining = length;
				// The prefix goes with the first piece (as its skipped bytes).
				const take = Math.min(maxLine, this.#pending.length - prefix.size);
				if (take < maxLine) {
					this.#remaining = 0;
					return; // Wait for a whole first piece.
				}

				this.#remaining = length - take;
				this.#emit(this.#pending.subarray(prefix.size, prefix.size + take), true, none, Buffer.from(head));
				this.#pending = this.#pending.subarray(prefix.size + take);
				continue;
			}

			if (this.#pending.length < prefix.size + length) {
				return;
			}

			this.#emit(this.#pending.subarray(prefix.size, prefix.size + length), false, none, Buffer.from(head));
			this.#pending = this.#pending.subarray(prefix.size + length);
		}
	}

	#cutByDelimiter(delimiter: Buffer): void {
		const {maxLine} = this.options;
		let at = this.#pending.indexOf(delimiter);
		while (at !== -1) {
			this.#emit(this.#pending.subarray(0, at), false, delimiter, none);
			this.#pending = this.#pending.subarray(at + delimiter.length);
			at = this.#pending.indexOf(delimiter);
		}

		// Too long without a delimiter: a piece of maxLine goes, keeping back what may be the
		// delimiter's first bytes.
		while (this.#pending.length > maxLine + delimiter.length - 1) {
			this.options.onOverflow?.(this.#pending.length);
			this.#emit(this.#pending.subarray(0, maxLine), true, none, none);
			this.#pending = this.#pending.subarray(maxLine);
		}
	}
}
