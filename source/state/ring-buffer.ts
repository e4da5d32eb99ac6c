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

/**
 * A RingBuffer kept in time order by its items' `ts` (ms): what the engine published and what
 * the screen says of a result (`sent 2 of 2 lines`) reach the screen by two paths, and a line
 * that arrives late still stands at its moment, on screen and in /save.
 */
export class TimeOrderedRing<T extends {readonly ts: number}> extends RingBuffer<T> {
	override push(item: T): void {
		this.pushInTimeOrder(item, timeOf);
	}
}

function timeOf(item: {readonly ts: number}): number {
	return item.ts;
}
