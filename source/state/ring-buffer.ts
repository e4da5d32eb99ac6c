/** A bounded list: pushing past the capacity forgets the oldest item. O(1) push and index. */
export class RingBuffer<T> {
	// Grows up to the capacity, so ten thousand small rings cost what they hold.
	readonly #items: Array<T | undefined> = [];
	#start = 0;
	#length = 0;
	/** Items pushed over the buffer's life, forgotten ones included. */
	total = 0;

	constructor(readonly capacity: number) {}

	get length(): number {
		return this.#length;
	}

	push(item: T): void {
		this.total++;
		if (this.#length < this.capacity) {
			this.#items.push(item);
			this.#length++;
			return;
		}

		this.#items[this.#start] = item;
		this.#start = (this.#start + 1) % this.capacity;
	}

	/** The item at `index` (0 = oldest kept). */
	at(index: number): T | undefined {
		if (index < 0 || index >= this.#length) {
			return undefined;
		}

		return this.#items[(this.#start + index) % this.capacity];
	}

	/** `count` items from `from`, oldest first. */
	slice(from: number, count: number): T[] {
		const result: T[] = [];
		const end = Math.min(this.#length, from + count);
		for (let index = Math.max(0, from); index < end; index++) {
			result.push(this.#items[(this.#start + index) % this.capacity]!);
		}

		return result;
	}

	clear(): void {
		this.#items.length = 0;
		this.#start = 0;
		this.#length = 0;
	}
}
