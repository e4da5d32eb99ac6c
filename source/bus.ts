import type {Draft, EventOf, EventType, SocketEvent} from './events.js';

export type Listener = (event: SocketEvent) => void;

/**
 * The typed event bus. Synchronous and allocation-free apart from the event itself: engines
 * publish, subscribers (store, NDJSON sink, tests) listen. It knows nothing of sockets or React.
 */
export class EventBus {
	readonly #listeners = new Set<Listener>();

	/** Stamps `ts` and delivers the event to every subscriber; returns the event. */
	publish<E extends SocketEvent>(draft: Draft<E>): E {
		// `type` and `ts` first so every NDJSON line starts the same way (assigning `type` again
		// keeps its place). One literal and one copy: this runs four times per message.
		return this.emit(Object.assign({type: draft.type, ts: Date.now()}, draft) as unknown as E);
	}

	/**
	 * Delivers an event its publisher has already stamped: the per-message hot path builds each
	 * event as one literal (no copy) and stamps the events of one read with one clock reading.
	 */
	emit<E extends SocketEvent>(event: E): E {
		for (const listener of this.#listeners) {
			listener(event);
		}

		return event;
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
