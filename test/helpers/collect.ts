import type {EventBus} from '../../source/bus.js';
import type {EventOf, EventType, SocketEvent} from '../../source/events.js';

/** Records every event on a bus; `waitFor` resolves on a past or future match. */
export class EventLog {
	readonly events: SocketEvent[] = [];
	readonly #waiters = new Set<{test: (event: SocketEvent) => boolean; resolve: (event: SocketEvent) => void}>();

	constructor(readonly bus: EventBus) {
		bus.subscribe(event => {
			this.events.push(event);
			for (const waiter of this.#waiters) {
				if (waiter.test(event)) {
					this.#waiters.delete(waiter);
					waiter.resolve(event);
				}
			}
		});
	}

	of<T extends EventType>(type: T, predicate: (event: EventOf<T>) => boolean = () => true): Array<EventOf<T>> {
		return this.events.filter((event): event is EventOf<T> => event.type === type && predicate(event as EventOf<T>));
	}

	/** The first event of `type` matching `predicate`, already seen or still to come. */
	async waitFor<T extends EventType>(type: T, predicate: (event: EventOf<T>) => boolean = () => true): Promise<EventOf<T>> {
		const seen = this.of(type, predicate)[0];
		if (seen) {
			return seen;
		}

		return new Promise(resolve => {
			this.#waiters.add({
				test: event => event.type === type && predicate(event as EventOf<T>),
				resolve: event => {
					resolve(event as EventOf<T>);
				},
			});
		});
	}

	/** Resolves once `count` events of `type` (matching `predicate`) have been seen. */
	async waitForCount<T extends EventType>(type: T, count: number, predicate: (event: EventOf<T>) => boolean = () => true): Promise<void> {
		let seen = this.of(type, predicate).length;
		if (seen >= count) {
			return;
		}

		await new Promise<void>(resolve => {
			const waiter = {
				test: (event: SocketEvent) => event.type === type && predicate(event as EventOf<T>) && ++seen >= count,
				resolve: () => {
					resolve();
				},
			};
			this.#waiters.add(waiter);
		});
	}
}
