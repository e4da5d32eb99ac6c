/** Above this share of busy time, frames are spaced by `busyFrameMs`. */
const busyLoad = 0.75;
/**
 * … or above this many changes in one frame: heavy traffic, whose sockets share the machine's
 * cores with the drawing even when this loop has time to spare (the engines run in their own
 * thread), so drawing steps back to ≥ 10 frames a second.
 */
const busyChanges = 500;

export type FrameOptions = {
	/** Subscribers are told at most once per this many ms (the repaint budget). */
	readonly frameMs: number;
	/** … or this many while the event loop is busy (traffic first; still ≥ 10 repaints a second). */
	readonly busyFrameMs: number;
	/** How busy the event loop was since the last call, 0…1 (see loop-load.ts). */
	readonly loopLoad: () => number;
};

/**
 * Tells subscribers that something changed at most once per frame, however many changes come:
 * a change arms one timer, spaced from the last frame (so a repaint's own time counts towards
 * the spacing: a steady 30, or 12.5 when the loop is busy, frames a second). For
 * useSyncExternalStore: `subscribe`, and `getVersion`, which changes once per frame.
 */
export class FrameScheduler {
	readonly #listeners = new Set<() => void>();
	#version = 0;
	#timer: NodeJS.Timeout | undefined;
	/** The loop was busy over the last frame: the next one waits longer. */
	#busy = false;
	/** Changes since the last frame. */
	#changes = 0;
	/** When subscribers were last told: frames are spaced from there, not from the next change. */
	#lastFrame = Date.now();

	constructor(
		private readonly options: FrameOptions,
		/** Runs just before subscribers are told (the store forgets old rows there). */
		private readonly beforeFrame: (now: number) => void = () => undefined,
	) {}

	readonly getVersion = (): number => this.#version;

	readonly subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	};

	/** Something changed: a frame will follow, once. */
	changed(): void {
		this.#changes++;
		if (this.#timer !== undefined) {
			return;
		}

		const interval = this.#busy ? this.options.busyFrameMs : this.options.frameMs;
		this.#timer = setTimeout(() => {
			this.flush();
		}, Math.max(0, this.#lastFrame + interval - Date.now()));
	}

	/** A frame now (tests; the timer does it otherwise). */
	flush(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#lastFrame = Date.now();
		this.beforeFrame(this.#lastFrame);
		// Each repaint costs the loop a few ms; when traffic keeps it busy, repaint less often
		// so that watching does not slow down what is watched.
		this.#busy = this.options.loopLoad() > busyLoad || this.#changes > busyChanges;
		this.#changes = 0;
		this.#version++;
		for (const listener of this.#listeners) {
			listener();
		}
	}

	dispose(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#listeners.clear();
	}
}
