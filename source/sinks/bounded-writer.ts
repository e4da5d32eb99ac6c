/** Output queued for a slow reader of our stdout before lines are dropped (and counted). */
export const maxQueuedBytes = 8 * 1024 * 1024;

/**
 * Writes to a stream without ever queueing more than `maxQueued` bytes: when the reader of our
 * output (a pipe, a terminal, `| less`) falls behind, lines are dropped and counted instead of
 * buffered without bound, and a notice says how many once it catches up.
 */
export class BoundedWriter {
	#dropped = 0;
	#waitingForDrain = false;

	constructor(
		private readonly stream: NodeJS.WritableStream & {readonly writableLength?: number},
		/** The line that reports `count` dropped lines (with its newline). */
		private readonly notice: (count: number) => string,
		private readonly maxQueued = maxQueuedBytes,
	) {}

	/** Writes `text` (one or more whole lines, as text or bytes); `lines` is how many, for the count. */
	write(text: string | Uint8Array, lines = 1): void {
		if ((this.stream.writableLength ?? 0) > this.maxQueued) {
			this.#dropped += lines;
			if (!this.#waitingForDrain) {
				this.#waitingForDrain = true;
				this.stream.once('drain', this.#onDrain);
			}

			return;
		}

		this.stream.write(text);
	}

	get dropped(): number {
		return this.#dropped;
	}

	readonly #onDrain = (): void => {
		this.#waitingForDrain = false;
		if (this.#dropped > 0) {
			this.stream.write(this.notice(this.#dropped));
			this.#dropped = 0;
		}
	};
}
