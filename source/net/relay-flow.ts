import {isUtf8} from 'node:buffer';
import type {Socket} from 'node:net';
import type {EventBus} from '../bus.js';
import type {Endpoint, Framing, Payload, RelaySide} from '../events.js';
import type {FramedMessage} from '../protocol/framing.js';
import {createFramer, type MessageFramer} from '../protocol/framers.js';
import {framed, toPayload} from '../protocol/payload.js';
import {rewrite, rewriteWork, type RewriteRule} from '../protocol/rewrite-rules.js';

export type RelayFlowOptions = {
	readonly id: number;
	/** The side this flow reads; it writes to the other. */
	readonly from: RelaySide;
	/** The client's address, for `{peer}` in rewrite templates. */
	readonly peer: Endpoint;
	/** How a paused or rewritten direction is cut into messages (--framing, --max-line). */
	readonly framing: Framing;
	readonly maxLine: number;
	readonly idleFlushMs: number;
	/** This direction's --rewrite rules, in order. */
	readonly rules: readonly RewriteRule[];
	/** Held bytes past which the flow stops reading its side (TCP backpressure). */
	readonly maxHeldBytes: number;
	/** Payload bytes the events carry for this direction (--capture-bytes); counts stay exact. */
	readonly captureBytes: number;
	/**
	 * Payload bytes one event carries at most, from the end of its read (`elided` counts the rest):
	 * set when only the screen watches (no log), which shows the last lines. Infinity otherwise.
	 */
	readonly payloadPerEvent: number;
	/** The connection's next held-message number (shared by both directions). */
	readonly nextSeq: () => number;
	/** Called on every read (the pair's idle timer). */
	readonly onActivity: () => void;
};

/** A message held in a paused direction: its exact bytes in three parts. */
export type HeldMessage = {
	readonly seq: number;
	/** Empty lines before it (exact bytes). */
	readonly lead: Buffer;
	body: Buffer;
	readonly ending: Buffer;
	/** The body as it arrived, once edited. */
	original: Buffer | undefined;
};

const noBytes: Buffer = Buffer.alloc(0);

/**
 * One direction of a relayed connection: reads one side and writes the other, with backpressure
 * (the reader pauses while the writer's buffer is full). Bytes pass as they arrive, one event per
 * read; when the direction is paused or has --rewrite rules, it is cut into messages (the
 * framing) so that each can be held, edited, dropped or rewritten. A paused direction holds what
 * arrives, up to `maxHeldBytes` (then it stops reading its side), and its end (FIN) waits behind
 * what it holds.
 */
export class RelayFlow {
	readonly held: HeldMessage[] = [];
	/** Bytes read from this flow's side (exact, whatever was held, dropped or rewritten). */
	bytesRead = 0;
	#heldBytes = 0;
	#paused = false;
	#framer: MessageFramer | undefined;
	#captured = 0;
	#waitingForDrain = false;
	#blockedByHold = false;
	/** The side has ended: its FIN is passed on once nothing is held. */
	#ended = false;
	#endSent = false;
	/** Empty lines after the last message at EOF, sent just before the end. */
	#trailer: Buffer = noBytes;

	constructor(
		private readonly source: Socket,
		private readonly sink: Socket,
		private readonly bus: EventBus,
		private readonly options: RelayFlowOptions,
	) {
		if (options.rules.length > 0) {
			this.#framer = this.#newFramer();
		}
	}

	get paused(): boolean {
		return this.#paused;
	}

	/** Starts passing bytes (after both sides are connected). */
	start(): void {
		this.source.on('data', (chunk: Buffer) => {
			this.options.onActivity();
			this.bytesRead += chunk.length;
			if (this.#framer) {
				this.#framer.push(chunk);
				return;
			}

			// The bytes go on first; the event describes what was sent.
			this.#write(chunk);
			this.#publishData(chunk, undefined);
		});
		this.sink.on('drain', () => {
			this.#waitingForDrain = false;
			this.#resumeIfFree();
		});
		this.source.on('end', () => {
			this.bus.publish({type: 'relay.end', id: this.options.id, from: this.options.from});
			if (this.#framer) {
				this.#trailer = this.#framer.end();
			}

			this.#ended = true;
			this.#endIfDone();
		});
	}

	/** Pauses (holds what arrives) or resumes (held messages go first, then bytes as they come). */
	setPaused(paused: boolean): void {
		if (paused === this.#paused) {
			return;
		}

		this.#paused = paused;
		this.bus.publish({type: 'relay.pause', id: this.options.id, from: this.options.from, paused});
		if (paused) {
			this.#framer ??= this.#newFramer();
			return;
		}

		this.releaseAll();
		if (this.options.rules.length === 0 && this.#framer && !this.#ended) {
			// Back to bytes as they arrive: an unfinished tail goes now, in its place.
			const framer = this.#framer;
			this.#framer = undefined;
			const skipped = framer.end();
			framer.dispose();
			if (skipped.length > 0) {
				this.#write(skipped);
				this.#publishData(skipped, undefined);
			}
		}

		this.#endIfDone();
	}

	/** Sends the held message `seq` (the oldest when undefined); false when there is none. */
	release(seq?: number): boolean {
		const message = this.#unhold(seq);
		if (!message) {
			return false;
		}

		this.#send(message.lead, message.body, message.ending, message.original, message.seq);
		this.#afterHeldChange();
		return true;
	}

	/** Takes the held message `seq` (the oldest when undefined) out of the queue. */
	#unhold(seq: number | undefined): HeldMessage | undefined {
		const index = seq === undefined ? 0 : this.held.findIndex(message => message.seq === seq);
		const message = this.held[index];
		if (message) {
			this.held.splice(index, 1);
			this.#heldBytes -= wireLength(message);
		}

		return message;
	}

	releaseAll(): number {
		let count = 0;
		while (this.release()) {
			count++;
		}

		return count;
	}

	/** Forgets the held message `seq` (the oldest when undefined); false when there is none. */
	drop(seq?: number): boolean {
		const message = this.#unhold(seq);
		if (!message) {
			return false;
		}

		this.bus.publish({type: 'relay.drop', id: this.options.id, from: this.options.from, seq: message.seq, bytes: wireLength(message)});
		this.#afterHeldChange();
		return true;
	}

	/** Replaces the body of the held message `seq` (its lead and line ending stay); false when gone. */
	edit(seq: number, body: Buffer): boolean {
		const message = this.held.find(held => held.seq === seq);
		if (!message) {
			return false;
		}

		this.#heldBytes += body.length - message.body.length;
		message.original ??= message.body;
		message.body = body;
		return true;
	}

	/** Writes the operator's bytes in this direction at once; false once this direction has ended. */
	inject(bytes: Buffer): boolean {
		if (this.#endSent || this.sink.destroyed || this.sink.writableEnded) {
			return false;
		}

		this.#write(bytes);
		this.#publishData(bytes, {injected: true});
		return true;
	}

	/** The connection is gone: timers stop, held bytes are forgotten. */
	dispose(): void {
		this.#framer?.dispose();
		this.held.length = 0;
		this.#heldBytes = 0;
	}

	#newFramer(): MessageFramer {
		const {framing, maxLine, idleFlushMs} = this.options;
		return createFramer({framing, maxLine, idleFlushMs, emptyLines: true, onMessage: message => {
			this.#onMessage(message);
		}});
	}

	#onMessage({bytes, ending, skipped}: FramedMessage): void {
		if (!this.#paused) {
			this.#send(skipped, bytes, ending, undefined, undefined);
			return;
		}

		// Copied: a held view would keep its whole read alive, unaccounted.
		const message: HeldMessage = {seq: this.options.nextSeq(), lead: Buffer.from(skipped), body: Buffer.from(bytes), ending, original: undefined};
		this.held.push(message);
		this.#heldBytes += wireLength(message);
		this.bus.publish({type: 'relay.held', id: this.options.id, from: this.options.from, seq: message.seq, bytes: wireLength(message), ...toPayload(message.body), ...framed(ending, skipped)});
		if (this.#heldBytes >= this.options.maxHeldBytes && !this.#blockedByHold) {
			this.#blockedByHold = true;
			this.source.pause();
			this.#publishBlocked(true);
		}
	}

	/** One message on the wire: rewritten by the rules unless the operator edited it. */
	#send(lead: Buffer, body: Buffer, ending: Buffer, original: Buffer | undefined, released: number | undefined): void {
		let extra: Partial<RelayDataExtra> = {};
		if (released !== undefined) {
			extra.released = released;
		}

		if (original !== undefined) {
			extra.edited = toPayload(original);
		} else if (this.options.rules.length > 0 && isUtf8(body)) {
			const text = body.toString('utf8');
			// Bounded by what a direction may hold: one message cannot take more memory than that.
			const result = rewrite(this.options.rules, text, this.options.peer, this.options.maxHeldBytes, rewriteWork(text.length));
			if (result !== undefined && 'overflow' in result) {
				extra = {...extra, notRewritten: {rule: result.rule, maxBytes: result.maxBytes, ...(result.work ? {work: true} : {})}};
			} else if (result !== undefined) {
				const arrived = Buffer.concat([lead, body, ending]);
				extra = {...extra, rewritten: {rule: result.rule, ...toPayload(arrived)}};
				body = result.bytes;
			}
		}

		const wire = lead.length === 0 && ending.length === 0 ? body : Buffer.concat([lead, body, ending]);
		this.#write(wire);
		this.#publishData(wire, extra);
	}

	#write(bytes: Buffer): void {
		if (this.sink.destroyed || this.sink.writableEnded) {
			return;
		}

		if (!this.sink.write(bytes) && !this.#waitingForDrain) {
			this.#waitingForDrain = true;
			this.source.pause();
		}
	}

	#resumeIfFree(): void {
		if (!this.#waitingForDrain && !this.#blockedByHold && !this.source.destroyed) {
			this.source.resume();
		}
	}

	#afterHeldChange(): void {
		if (this.#blockedByHold && this.#heldBytes < this.options.maxHeldBytes) {
			this.#blockedByHold = false;
			this.#publishBlocked(false);
			this.#resumeIfFree();
		}

		this.#endIfDone();
	}

	#publishBlocked(blocked: boolean): void {
		this.bus.publish({type: 'relay.blocked', id: this.options.id, from: this.options.from, blocked, heldBytes: this.#heldBytes, limit: this.options.maxHeldBytes});
	}

	#endIfDone(): void {
		if (!this.#ended || this.#endSent || this.held.length > 0) {
			return;
		}

		this.#endSent = true;
		if (this.#trailer.length > 0) {
			this.#write(this.#trailer);
			this.#publishData(this.#trailer, undefined);
		}

		this.sink.end();
	}

	#publishData(bytes: Buffer, extra: Partial<RelayDataExtra> | undefined): void {
		const {id, from, payloadPerEvent} = this.options;
		const room = this.options.captureBytes - this.#captured;
		let kept = room <= 0 ? noBytes : (room >= bytes.length ? bytes : bytes.subarray(0, room));
		this.#captured += kept.length;
		let elided = 0;
		if (kept.length > payloadPerEvent) {
			// Only the screen watches: it is shown the last lines of a long read, not all of it.
			elided = tailStart(kept, payloadPerEvent);
			kept = kept.subarray(elided);
		}

		const ts = Date.now();
		if (extra === undefined && elided === 0) {
			// The hot path: one literal, stamped here (no copy in the bus).
			if (kept.length === 0) {
				this.bus.emit({type: 'relay.data', ts, id, from, bytes: bytes.length, captured: 0, text: ''});
			} else if (isUtf8(kept)) {
				this.bus.emit({type: 'relay.data', ts, id, from, bytes: bytes.length, captured: kept.length, text: kept.toString('utf8')});
			} else {
				this.bus.emit({type: 'relay.data', ts, id, from, bytes: bytes.length, captured: kept.length, ...toPayload(kept)});
			}

			return;
		}

		const payload = kept.length === 0 ? {text: ''} : toPayload(kept);
		this.bus.emit({type: 'relay.data', ts, id, from, bytes: bytes.length, captured: kept.length, ...payload, ...(elided > 0 ? {elided} : {}), ...extra});
	}
}

/** Where the last `limit` bytes of `bytes` start, moved on to just after a newline when one is there. */
export function tailStart(bytes: Buffer, limit: number): number {
	const start = bytes.length - limit;
	const newline = bytes.indexOf(0x0A, start);
	return newline === -1 || newline === bytes.length - 1 ? start : newline + 1;
}

type RelayDataExtra = {
	released: number;
	edited: Payload;
	rewritten: {readonly rule: string} & Payload;
	notRewritten: {readonly rule: string; readonly maxBytes: number; readonly work?: true};
	injected: true;
};

function wireLength(message: HeldMessage): number {
	return message.lead.length + message.body.length + message.ending.length;
}
