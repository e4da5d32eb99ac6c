import type {EventOf, SocketEvent} from '../events.js';
import {BoundedRing, column} from './bounded-ring.js';

/**
 * One step of a connection's life, for its timeline: an event of the catalogue (a relay's data
 * with only the start of its text: the transcript keeps the rest).
 */
export type Step =
	| Extract<SocketEvent, {type: `conn.${string}` | `client.${string}` | 'kernel.time-wait'}>
	| Exclude<Extract<SocketEvent, {type: `relay.${string}`}>, EventOf<'relay.data'> | EventOf<'relay.listening'>>
	| RelayDataStep;

/**
 * A relay.data event's facts: how many bytes went which way, how it was steered, and the start of
 * its text (`preview`, at most previewLength characters; none for bytes that are not text).
 */
export type RelayDataStep = Pick<EventOf<'relay.data'>, 'type' | 'ts' | 'id' | 'from' | 'bytes' | 'released'> & {readonly steered?: 'injected' | 'rewritten' | 'edited'; readonly preview?: string};

/** How much of a relayed read's text a step keeps. */
const previewLength = 40;

/** The common steps' types, kept as codes (0: a rare step, kept whole). */
const commonTypes = [undefined, 'conn.read', 'conn.message', 'conn.reply', 'client.sent', 'client.received', 'relay.data'] as const;

/**
 * Steps kept per connection (the newest; the timeline says how many earlier ones were let go): a
 * tutorial client's whole life is about twenty. More cost the screen under load (an A/B at 100
 * clients against the version before the timeline: 300 kept, 0.81–0.88×; 100 kept, 1.01–1.02×).
 */
export const stepsKept = 100;

/** What a relay.data event leaves as a step. */
export function relayDataStep(event: EventOf<'relay.data'>): RelayDataStep {
	const {type, ts, id, from, bytes, released} = event;
	const steered = event.injected ? 'injected' : (event.rewritten ? 'rewritten' : (event.edited ? 'edited' : undefined));
	const preview = event.base64 === undefined && event.captured > 0 ? event.text.slice(0, previewLength) : undefined;
	return {type, ts, id, from, bytes, ...(released === undefined ? {} : {released}), ...(steered === undefined ? {} : {steered}), ...(preview === undefined ? {} : {preview})};
}

/**
 * A connection's steps, oldest first, bounded — kept in columns, as the transcript is
 * (transcript-ring.ts): under load a row takes three steps a message and keeps them until newer
 * ones push them out, long enough for V8 to promote each event object to the old generation. The
 * common steps (a read, a message, a reply, a client's send and receive, a relay's data) keep their
 * fields here and let the event die young; the rare ones (opens, closes, warnings…) are kept whole.
 * A step is built again only when read: the few rows of an open timeline.
 */
export class StepRing extends BoundedRing<Step> {
	// Columns grow from two slots (bounded-ring.ts, column): an idle row costs what it holds.
	readonly #ts = column<number>();
	readonly #id = column<number>();
	readonly #bytes = column<number>();
	/** The step's type as a code (commonTypes[code]); 0 for a rare step kept whole in #extra. */
	readonly #type = column<number>();
	/** The payload's text (the transcript's own string), or a relay's preview. */
	readonly #text = column<string | undefined>();
	/** What else the step needs: a reply's kind, a relay's side, or the whole event when it is not the common case. */
	readonly #extra = column<unknown>();

	/** `id`: the connection every step is of (a row's), kept once; none for the client's, whose connections come and go. */
	constructor(private readonly id?: number) {
		super(stepsKept);
	}

	protected store(slot: number, step: Step): void {
		this.#ts[slot] = step.ts;
		if (this.id === undefined) {
			this.#id[slot] = step.id;
		}

		/** Its code in commonTypes; 0: kept whole. */
		let code = 0;
		let bytes = 0;
		let text: string | undefined;
		let extra: unknown;
		switch (step.type) {
			case 'conn.read': {
				code = 1;
				bytes = step.bytes;
				break;
			}

			case 'conn.message': {
				// A plain line: its text says it all (eol, skipped, partial, base64 absent).
				if (step.base64 === undefined && step.eol === undefined && step.skipped === undefined && step.partial === undefined) {
					code = 2;
					text = step.text;
				}

				break;
			}

			case 'conn.reply': {
				if (step.base64 === undefined) {
					code = 3;
					text = step.text;
					extra = step.kind;
				}

				break;
			}

			case 'client.sent': {
				if (step.base64 === undefined) {
					code = 4;
					bytes = step.bytes;
					text = step.text;
				}

				break;
			}

			case 'client.received': {
				if (step.base64 === undefined && step.eol === undefined && step.skipped === undefined) {
					code = 5;
					bytes = step.bytes;
					text = step.text;
					extra = step.rttMs;
				}

				break;
			}

			case 'relay.data': {
				if (step.released === undefined && step.steered === undefined) {
					code = 6;
					bytes = step.bytes;
					text = step.preview;
					extra = step.from;
				}

				break;
			}

			default: {
				break;
			}
		}

		this.#type[slot] = code;
		this.#bytes[slot] = bytes;
		this.#text[slot] = text;
		this.#extra[slot] = code === 0 ? step : extra;
	}

	protected load(slot: number): Step {
		const ts = this.#ts[slot]!;
		const id = this.id ?? this.#id[slot]!;
		const bytes = this.#bytes[slot]!;
		const text = this.#text[slot];
		const extra = this.#extra[slot];
		switch (commonTypes[this.#type[slot]!]) {
			case 'conn.read': {
				return {type: 'conn.read', ts, id, bytes};
			}

			case 'conn.message': {
				return {type: 'conn.message', ts, id, text: text!};
			}

			case 'conn.reply': {
				return {type: 'conn.reply', ts, id, kind: extra as EventOf<'conn.reply'>['kind'], text: text!};
			}

			case 'client.sent': {
				return {type: 'client.sent', ts, id, bytes, text: text!};
			}

			case 'client.received': {
				return extra === undefined ? {type: 'client.received', ts, id, bytes, text: text!} : {type: 'client.received', ts, id, bytes, text: text!, rttMs: extra as number};
			}

			case 'relay.data': {
				const step = {type: 'relay.data', ts, id, from: extra as RelayDataStep['from'], bytes} as const;
				return text === undefined ? step : {...step, preview: text};
			}

			default: {
				return extra as Step;
			}
		}
	}

	protected forget(): void {
		for (const column of [this.#ts, this.#id, this.#bytes, this.#type, this.#text, this.#extra]) {
			column.length = 0;
		}
	}
}
