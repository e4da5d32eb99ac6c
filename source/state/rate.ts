/** Seconds of history kept for a sparkline. */
const historySeconds = 16;

/** Events per second over the last full second, and the seconds before (a sparkline's), counted in O(1) per event. */
export class RateMeter {
	#second = 0;
	#current = 0;
	/** Counts of complete seconds, newest last (at most historySeconds). */
	readonly #history: number[] = [];

	tick(now: number): void {
		const second = Math.floor(now / 1000);
		if (second !== this.#second) {
			this.#roll(second);
		}

		this.#current++;
	}

	/** The rate as of `now`: the count of the last complete second. */
	perSecond(now: number): number {
		const second = Math.floor(now / 1000);
		if (second === this.#second) {
			return this.#history.at(-1) ?? 0;
		}

		return second === this.#second + 1 ? this.#current : 0;
	}

	/** The counts of the last `count` complete seconds as of `now`, oldest first (quiet seconds are 0). */
	recent(now: number, count = historySeconds): number[] {
		const second = Math.floor(now / 1000);
		const values = [...this.#history];
		// The second being counted is complete once `now` is past it; the seconds since were quiet.
		if (second > this.#second) {
			values.push(this.#current, ...Array.from({length: Math.min(historySeconds, second - this.#second - 1)}, () => 0));
		}

		const last = values.slice(-count);
		return [...Array.from({length: count - last.length}, () => 0), ...last];
	}

	#roll(second: number): void {
		if (this.#second !== 0) {
			this.#history.push(this.#current);
			// Seconds that passed without an event.
			for (let gap = this.#second + 1; gap < second && this.#history.length <= historySeconds; gap++) {
				this.#history.push(0);
			}
		}

		while (this.#history.length > historySeconds) {
			this.#history.shift();
		}

		this.#current = 0;
		this.#second = second;
	}
}
