import type {SocketEvent} from '../events.js';

/** What the player drives: a store's reducer, its reset, and a frame request. */
export type PlayerTarget = {
	apply(event: SocketEvent): void;
	reset(): void;
	/** Something changed that no event says (the position moved): a frame, please. */
	invalidate(): void;
	/**
	 * Time has come to `now` (ms since the epoch) before the next event: what the store does when
	 * time passes (a relayed line left unfinished is shown once quiet) happens then, as it did live.
	 */
	advance?(now: number): void;
};

/** The player's state, for the time bar. */
export type PlayerView = {
	/** The log's first and last moments, ms since the epoch. */
	readonly start: number;
	readonly end: number;
	/** Where the replay is now (the store's clock), ms since the epoch. */
	readonly position: number;
	/** Events applied so far, of `count`. */
	readonly applied: number;
	readonly count: number;
	readonly playing: boolean;
	/** How many times faster than recorded (1 = as it happened). */
	readonly speed: number;
};

/** Speeds the + and - keys step through. */
const speeds = [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/** The timer's tick while playing: often enough for a smooth time bar, rarely enough to cost nothing. */
const tickMs = 50;

/**
 * Plays a recorded log into a store as it happened (or `speed` times faster): each event is
 * applied when the position reaches its time, and the position is the store's clock, so every
 * pane shows the state at that moment. Pause, step one event either way, and seek anywhere; a
 * seek back resets the store and reduces the log again from its start (O(events), no snapshots).
 * Times are made monotonic (an event never goes before the one before it).
 */
export class ReplayPlayer implements PlayerView {
	readonly start: number;
	readonly end: number;
	position: number;
	applied = 0;
	playing = false;
	speed: number;
	readonly #times: number[];
	#timer: NodeJS.Timeout | undefined;
	/** While playing: the position at `#since` (performance.now()). */
	#from = 0;
	#since = 0;
	readonly #listeners = new Set<() => void>();

	constructor(
		private readonly events: readonly SocketEvent[],
		private readonly target: PlayerTarget,
		{speed = 1}: {speed?: number} = {},
	) {
		let last = events[0]?.ts ?? 0;
		this.#times = events.map(event => {
			last = Math.max(last, event.ts);
			return last;
		});
		this.start = this.#times[0] ?? 0;
		this.end = this.#times.at(-1) ?? 0;
		this.position = this.start;
		this.speed = speed;
	}

	get count(): number {
		return this.events.length;
	}

	/** The store's clock during a replay. */
	readonly clock = (): number => this.position;

	/** Told on every change of position or state (the time bar's repaint). */
	subscribe(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	play(): void {
		if (this.playing) {
			return;
		}

		if (this.applied >= this.count) {
			this.seek(this.start); // At the end, play starts over.
		}

		this.playing = true;
		this.#anchor();
		this.#tick();
	}

	pause(): void {
		this.playing = false;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#changed();
	}

	toggle(): void {
		if (this.playing) {
			this.pause();
		} else {
			this.play();
		}
	}

	/** One event forward (`by` 1) or back (-1), paused: the position is that event's time. */
	step(by: number): void {
		this.pause();
		const target = Math.max(0, Math.min(this.count, this.applied + by));
		if (target < this.applied) {
			this.#rewind();
		}

		this.#applyTo(target);
		this.position = this.applied === 0 ? this.start : this.#times[this.applied - 1]!;
		this.#changed();
	}

	/** Back to the log's start, before its first event (what , stepping back reaches): nothing applied. */
	home(): void {
		this.#rewind();
		this.position = this.start;
		this.#anchor();
		this.#changed();
	}

	/** Goes to a moment (ms since the epoch, clamped to the log): every event up to it applied. */
	seek(moment: number): void {
		const to = Math.max(this.start, Math.min(this.end, moment));
		if (to < this.position) {
			this.#rewind();
		}

		this.position = to;
		this.#applyUntil(to);
		this.#anchor();
		this.#changed();
	}

	/** The next speed up (1) or down (-1) the ladder. */
	changeSpeed(by: 1 | -1): void {
		const index = speeds.findIndex(speed => speed >= this.speed);
		const current = index === -1 ? speeds.length - 1 : index;
		this.speed = speeds[Math.max(0, Math.min(speeds.length - 1, current + by))]!;
		this.#anchor();
		this.#changed();
	}

	dispose(): void {
		clearTimeout(this.#timer);
		this.#listeners.clear();
	}

	#tick(): void {
		if (!this.playing) {
			return;
		}

		const position = Math.min(this.end, this.#from + ((performance.now() - this.#since) * this.speed));
		this.position = position;
		this.#applyUntil(position);
		if (this.applied >= this.count && position >= this.end) {
			this.playing = false;
			this.#changed();
			return;
		}

		this.#changed();
		// Wake for the next event when it is near; otherwise at the next tick.
		const next = this.#times[this.applied];
		const wait = next === undefined ? tickMs : Math.min(tickMs, Math.max(0, (next - position) / this.speed));
		this.#timer = setTimeout(() => {
			this.#tick();
		}, wait);
	}

	#anchor(): void {
		this.#from = this.position;
		this.#since = performance.now();
	}

	#rewind(): void {
		this.target.reset();
		this.applied = 0;
	}

	#applyUntil(moment: number): void {
		while (this.applied < this.count && this.#times[this.applied]! <= moment) {
			this.#applyNext();
		}

		this.target.advance?.(moment);
	}

	#applyTo(index: number): void {
		while (this.applied < index) {
			this.#applyNext();
		}
	}

	#applyNext(): void {
		this.target.advance?.(this.#times[this.applied]!);
		this.target.apply(this.events[this.applied]!);
		this.applied++;
	}

	#changed(): void {
		this.target.invalidate();
		for (const listener of this.#listeners) {
			listener();
		}
	}
}
