import {BoundedRing} from './bounded-ring.js';

/** A bounded ring of items kept as they are. */
export class RingBuffer<T> extends BoundedRing<T> {
	// Grows up to the capacity, so ten thousand small rings cost what they hold.
	readonly #items: T[] = [];

	protected store(slot: number, item: T): void {
		this.#items[slot] = item;
	}

	protected load(slot: number): T {
		return this.#items[slot]!;
	}

	protected forget(): void {
		this.#items.length = 0;
	}
}
