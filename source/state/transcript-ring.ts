import type {Direction, TranscriptLine} from './store.js';

/** What a transcript view or /save reads: the lines kept, oldest first. */
export type TranscriptLines = {
	readonly length: number;
	at(index: number): TranscriptLine | undefined;
	slice(from: number, count: number): TranscriptLine[];
};

/**
 * A connection's transcript, bounded like a RingBuffer but kept in columns. Under load every row
 * takes two lines per message and keeps them until newer ones push them out: long enough for V8
 * to copy each line object into the old generation, the costly kind of garbage. Here the fields
 * are copied out and the pushed object dies young; a line is built again only when read (the
 * few on screen, or /save). `rttMs` is not kept: only the client's lines have it.
 */
export class TranscriptRing implements TranscriptLines {
	// Columns grow up to the capacity, so ten thousand quiet rows cost what they hold.
	readonly #ts: number[] = [];
	readonly #direction: Direction[] = [];
	readonly #text: string[] = [];
	readonly #base64: Array<string | undefined> = [];
	#start = 0;
	#length = 0;
	/** Lines pushed over the transcript's life, forgotten ones included. */
	total = 0;

	constructor(readonly capacity: number) {}

	get length(): number {
		return this.#length;
	}

	push(line: TranscriptLine): void {
		this.total++;
		let slot: number;
		if (this.#length < this.capacity) {
			slot = this.#length++;
		} else {
			slot = this.#start;
			this.#start = (this.#start + 1) % this.capacity;
		}

		this.#ts[slot] = line.ts;
		this.#direction[slot] = line.direction;
		this.#text[slot] = line.text;
		this.#base64[slot] = line.base64;
	}

	/** The line at `index` (0 = oldest kept). */
	at(index: number): TranscriptLine | undefined {
		if (index < 0 || index >= this.#length) {
			return undefined;
		}

		const slot = (this.#start + index) % this.capacity;
		const base64 = this.#base64[slot];
		const line = {ts: this.#ts[slot]!, direction: this.#direction[slot]!, text: this.#text[slot]!};
		return base64 === undefined ? line : {...line, base64};
	}

	/** `count` lines from `from`, oldest first. */
	slice(from: number, count: number): TranscriptLine[] {
		const lines: TranscriptLine[] = [];
		const end = Math.min(this.#length, from + count);
		for (let index = Math.max(0, from); index < end; index++) {
			lines.push(this.at(index)!);
		}

		return lines;
	}
}
