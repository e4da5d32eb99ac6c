import {BoundedRing, column} from './bounded-ring.js';
import type {Direction, TranscriptLine} from './transcript.js';

/**
 * A connection's transcript, bounded like a RingBuffer but kept in columns. Under load every row
 * takes two lines per message and keeps them until newer ones push them out: long enough for V8
 * to copy each line object into the old generation, the costly kind of garbage. Here the fields
 * are copied out and the pushed object dies young; a line is built again only when read (the
 * few on screen, or /save). `rttMs` is not kept: only the client's lines have it.
 */
export class TranscriptRing extends BoundedRing<TranscriptLine> {
	// Columns grow up to the capacity (from a few slots), so ten thousand quiet rows cost what they hold.
	readonly #ts = column<number>();
	readonly #direction = column<Direction>();
	readonly #text = column<string>();
	readonly #base64 = column<string | undefined>();
	readonly #eol = column<string | undefined>();
	readonly #lead = column<string | undefined>();
	readonly #mark = column<string | undefined>();

	protected store(slot: number, line: TranscriptLine): void {
		this.#ts[slot] = line.ts;
		this.#direction[slot] = line.direction;
		this.#text[slot] = line.text;
		this.#base64[slot] = line.base64;
		this.#eol[slot] = line.eol;
		this.#lead[slot] = line.lead;
		this.#mark[slot] = line.mark;
	}

	/** The line is built again from its columns: a new object, only for what is read. */
	protected load(slot: number): TranscriptLine {
		const base64 = this.#base64[slot];
		const eol = this.#eol[slot];
		const lead = this.#lead[slot];
		const mark = this.#mark[slot];
		let line: TranscriptLine = {ts: this.#ts[slot]!, direction: this.#direction[slot]!, text: this.#text[slot]!};
		if (base64 !== undefined) {
			line = {...line, base64};
		}

		if (eol !== undefined) {
			line = {...line, eol};
		}

		if (mark !== undefined) {
			line = {...line, mark};
		}

		return lead === undefined ? line : {...line, lead};
	}

	protected forget(): void {
		this.#ts.length = 0;
		this.#direction.length = 0;
		this.#text.length = 0;
		this.#base64.length = 0;
		this.#eol.length = 0;
		this.#lead.length = 0;
		this.#mark.length = 0;
	}
}
