/** Events per second over the last full second, counted in O(1) per event. */
export class RateMeter {
	#second = 0;
	#current = 0;
	#previous = 0;

	tick(now: number): void {
		const second = Math.floor(now / 1000);
		if (second !== this.#second) {
			this.#previous = second === this.#second + 1 ? this.#current : 0;
			this.#current = 0;
			this.#second = second;
		}

		this.#current++;
	}

	/** The rate as of `now`: the count of the last complete second. */
	perSecond(now: number): number {
		const second = Math.floor(now / 1000);
		if (second === this.#second) {
			return this.#previous;
		}

		return second === this.#second + 1 ? this.#current : 0;
	}
}
