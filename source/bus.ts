import type {Draft, EventOf, EventType, SocketEvent} from './events.js';

export type Listener = (event: SocketEvent) => void;

/** At most this many events wait in a hold; more are delivered at once (still in order). */
const maxHeld = 1024;

/**
 * The typed event bus. Synchronous and allocation-free apart from the event itself: engines
 * publish, subscribers (store, NDJSON sink, tests) listen. It knows nothing of sockets or React.
 * Delivery happens at once, or at the end of a hold (see hold), in publishing order.
 */
export class EventBus {
	readonly #listeners = new Set<Listener>();
	/** Events published while delivery is held (see hold), oldest first. */
	readonly #held: SocketEvent[] = [];
	#holds = 0;
	#draining = false;

	/** Stamps `ts` and delivers the event to every subscriber; returns the event. */
	publish<E extends SocketEvent>(draft: Draft<E>): E {
		// `type` and `ts` first so every NDJSON line starts the same way (assigning `type` again
		// keeps its place). The per-message events skip this copy: they come through emit.
		return this.emit(Object.assign({type: draft.type, ts: Date.now()}, draft) as unknown as E);
	}

	/**
	 * Delivers an event its publisher has already stamped: the per-message hot path builds each
	 * event as one literal (no copy) and stamps the events of one read with one clock reading.
	 */
	emit<E extends SocketEvent>(event: E): E {
		if (this.#holds === 0 && !this.#draining && this.#held.length === 0) {
			this.#deliver(event);
			return event;
		}

		this.#held.push(event);
		// Delivered now when nothing holds (events left by a listener that threw go first), or
		// in slices during a hold: a read of thousands of short lines must not hold thousands of
		// events in memory (those slices reach subscribers before that read's replies are sent).
		if (!this.#draining && (this.#holds === 0 || this.#held.length >= maxHeld)) {
			this.#drain();
		}

		return event;
	}

	/**
	 * Holds delivery until the matching release(): a connection handling a read holds it while it
	 * answers, so its replies are on the wire before anyone logs or draws them — subscribers never
	 * sit between a peer and its answer (beyond 1,024 events in one read, see emit). Events keep
	 * their order, across connections too.
	 */
	hold(): void {
		this.#holds++;
	}

	/** Ends a hold; the last one delivers what was published meanwhile, in order. */
	release(): void {
		this.#holds--;
		if (this.#holds === 0 && !this.#draining) {
			this.#drain();
		}
	}

	#drain(): void {
		this.#draining = true;
		let index = 0;
		try {
			// Listeners may publish more: those join the end of the queue, so order holds.
			for (; index < this.#held.length; index++) {
				this.#deliver(this.#held[index]!);
			}

			this.#held.length = 0;
		} catch (error) {
			// A listener threw (a bug, about to end the run): the events after this one are kept
			// for the next delivery rather than lost — the log of a crash should be whole.
			this.#held.splice(0, index + 1);
			throw error;
		} finally {
			this.#draining = false;
		}
	}

	#deliver(event: SocketEvent): void {
		for (const listener of this.#listeners) {
			listener(event);
		}
	}

	/** Adds a listener; returns the function that removes it. */
	subscribe(listener: Listener): () => void {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}

	/** Resolves with the first event of `type` that satisfies `predicate`. */
	async next<T extends EventType>(
		type: T,
		predicate: (event: EventOf<T>) => boolean = () => true,
	): Promise<EventOf<T>> {
		return new Promise(resolve => {
			const unsubscribe = this.subscribe(event => {
				if (event.type === type && predicate(event as EventOf<T>)) {
					unsubscribe();
					resolve(event as EventOf<T>);
				}
			});
		});
	}
}
