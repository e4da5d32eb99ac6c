/**
 * A new column for a ring's slots, with room for its first two. V8 grows an empty array by 17
 * slots at its first write (136 bytes); a row of the server pane has a dozen columns and most rows
 * of held connections hold a line or two (19,500 of them: ~25 MB more), so columns start small
 * and grow when used (a store of 19,500 welcomed rows: 1.6 KB a row, 3.1 KB with empty arrays).
 */
export function column<T>(): T[] {
	return new Array<T>(2);
}

/**
 * A bounded list: pushing past the capacity forgets the oldest item. O(1) push and index.
 * Subclasses decide how a slot holds an item (one array, or columns); this keeps the order.
 */
export abstract class BoundedRing<T> {
	#start = 0;
	#length = 0;
	/** Items pushed over the ring's life, forgotten ones included. */
	total = 0;

	constructor(readonly capacity: number) {}

	get length(): number {
		return this.#length;
	}

	push(item: T): void {
		this.#append(item);
	}

	#append(item: T): void {
		this.total++;
		if (this.#length < this.capacity) {
			this.store(this.#length++, item);
			return;
		}

		this.store(this.#start, item);
		this.#start = (this.#start + 1) % this.capacity;
	}

	/**
	 * Pushes `item`, then moves it back before the newest items that are later than it (`time`,
	 * ms), so that the ring stays in time order when an item arrives after later ones (it came by
	 * another path: a call's result overtaking the events before it). At most `reach` places.
	 */
	protected pushInTimeOrder(item: T, time: (item: T) => number, reach = 32): void {
		this.#append(item);
		const at = time(item);
		for (let index = this.#length - 1; index > 0 && index >= this.#length - reach; index--) {
			const slot = (this.#start + index) % this.capacity;
			const before = (this.#start + index - 1) % this.capacity;
			const previous = this.load(before);
			if (time(previous) <= at) {
				return;
			}

			this.store(slot, previous);
			this.store(before, item);
		}
	}

	/** The item at `index` (0 = oldest kept). */
	at(index: number): T | undefined {
		return index < 0 || index >= this.#length ? undefined : this.load((this.#start + index) % this.capacity);
	}

	/** `count` items from `from`, oldest first. */
	slice(from: number, count: number): T[] {
		const items: T[] = [];
		const end = Math.min(this.#length, from + count);
		for (let index = Math.max(0, from); index < end; index++) {
			items.push(this.load((this.#start + index) % this.capacity));
		}

		return items;
	}

	clear(): void {
		this.#start = 0;
		this.#length = 0;
		this.forget();
	}

	/** Puts `item` in `slot` (slots fill up from 0, then are reused oldest first). */
	protected abstract store(slot: number, item: T): void;
	/** The item in a filled `slot`. */
	protected abstract load(slot: number): T;
	/** Drops every stored item (clear). */
	protected abstract forget(): void;
}
