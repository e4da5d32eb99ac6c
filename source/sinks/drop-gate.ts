import type {EventType} from '../events.js';

/** Output queued for a slow reader before per-message events are dropped (and counted). */
export const maxQueuedBytes = 8 * 1024 * 1024;

/**
 * Output queued before lifecycle events are dropped too: larger, so that a connection's life is
 * kept long after its messages are not, but still a bound — a stalled reader under connection
 * churn cannot grow memory without limit.
 */
export const maxQueuedLifecycleBytes = 32 * 1024 * 1024;

export type QueueBounds = {
	readonly maxQueuedBytes: number;
	readonly maxQueuedLifecycleBytes: number;
};

/** The events there is one of per message or datagram: what a log under pressure drops first. */
const perMessage: ReadonlySet<EventType> = new Set<EventType>([
	'conn.read',
	'conn.write',
	'conn.message',
	'conn.reply',
	'client.sent',
	'client.received',
	'udp.datagram',
	'udp.reply',
	'udp.sent',
	'http.progress',
	'relay.data',
	'relay.held',
]);

/** Events dropped, by type. */
export type DropCounts = Readonly<Record<string, number>>;

/**
 * Decides, per event, whether an output stream still has room for it: when the reader of our
 * output (a pipe, `| jq`, a terminal) falls behind, per-message events are dropped past
 * `maxQueuedBytes` and every other event (listening, open, end, close, state, warnings, errors)
 * past the larger `maxQueuedLifecycleBytes`. What was dropped is counted by type and told
 * through `notice` once the reader has caught up, never buffered without bound.
 */
export class DropGate {
	#dropped = new Map<string, number>();
	#waitingForDrain = false;

	constructor(
		private readonly stream: NodeJS.WritableStream & {readonly writableLength?: number},
		/** Writes the notice of what was dropped. */
		private readonly notice: (counts: DropCounts, total: number) => void,
		private readonly bounds: QueueBounds = {maxQueuedBytes, maxQueuedLifecycleBytes},
	) {}

	/** True when an event of `type` may be written; `buffered` counts bytes waiting to be written. */
	admit(type: EventType, buffered = 0): boolean {
		const queued = (this.stream.writableLength ?? 0) + buffered;
		// The common case first: room for anything, no look-up.
		if (queued <= this.bounds.maxQueuedBytes || (queued <= this.bounds.maxQueuedLifecycleBytes && !perMessage.has(type))) {
			return true;
		}

		this.#dropped.set(type, (this.#dropped.get(type) ?? 0) + 1);
		if (!this.#waitingForDrain) {
			this.#waitingForDrain = true;
			this.stream.once('drain', this.#onDrain);
		}

		return false;
	}

	/** Events dropped and not yet told. */
	get dropped(): number {
		let total = 0;
		for (const count of this.#dropped.values()) {
			total += count;
		}

		return total;
	}

	/** Tells what was dropped now, if anything (at the end of a run). */
	flushNotice(): void {
		const total = this.dropped;
		if (total > 0) {
			const counts = Object.fromEntries(this.#dropped);
			this.#dropped.clear();
			this.notice(counts, total);
		}
	}

	readonly #onDrain = (): void => {
		this.#waitingForDrain = false;
		this.flushNotice();
	};
}
