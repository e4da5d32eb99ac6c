import type {EventBus} from '../bus.js';
import type {SocketEvent} from '../events.js';
import {ClientView} from './client-view.js';
import {FrameScheduler} from './frame-scheduler.js';
import {loopLoadMeter} from './loop-load.js';
import {ServerView, type ConnectionRow, type Notice} from './server-view.js';
import type {TranscriptFilter} from './transcript-filter.js';
import {UdpView} from './udp-view.js';

export {lineBytes, type Direction, type TranscriptLine} from './transcript.js';
export type {ConnectionRow, Notice} from './server-view.js';
export type {UdpLine} from './udp-view.js';

export type StoreOptions = {
	/** Subscribers are told at most once per this many ms (the repaint budget). */
	readonly frameMs: number;
	/** … or this many while the event loop is busy (traffic first; still ≥ 10 repaints a second). */
	readonly busyFrameMs: number;
	/** How busy the event loop was since the last call, 0…1 (see loop-load.ts). */
	readonly loopLoad: () => number;
	/** How long a closed row stays on screen, dimmed. */
	readonly closedRetentionMs: number;
	/** At most this many closed rows are kept, whatever their age. */
	readonly maxClosedRows: number;
	readonly transcriptLines: number;
	readonly feedLines: number;
	/**
	 * The store's clock, ms since the epoch: what "now" is for ages, rates and pruning. The wall
	 * clock by default; a replay gives its position in the log, and `'events'` pins it to the
	 * newest event's time (so a live run and its replay draw the same frame: the golden test).
	 */
	readonly clock: (() => number) | 'events';
};

const defaultOptions: Omit<StoreOptions, 'loopLoad'> = {clock: () => Date.now(), frameMs: 33, busyFrameMs: 80, closedRetentionMs: 30_000, maxClosedRows: 500, transcriptLines: 500, feedLines: 1000};

/**
 * What the panes read: the state of each pane, without the means to change it (the store's
 * reducers, frames and commands are the App's and the engines').
 */
export type StoreView = {
	readonly server: Readonly<Omit<ServerView, 'apply' | 'prune' | 'rows' | 'order'>>;
	readonly rows: ReadonlyMap<number, Readonly<ConnectionRow>>;
	readonly order: readonly number[];
	readonly client: Readonly<Omit<ClientView, 'apply'>>;
	readonly udp: Readonly<Omit<UdpView, 'apply'>>;
	readonly filters: ReadonlyMap<'client' | number, TranscriptFilter>;
	readonly notice: Notice | undefined;
	readonly inputEscapes: boolean;
	readonly explain: boolean;
	readonly timeline: boolean;
	/** The store's clock (StoreOptions.clock): what the panes take as now. */
	now(): number;
	/** A replay feeds it: rows are shown as recorded, and nothing can be typed to them. */
	readonly replaying: boolean;
};

/**
 * The view model, a front over one state per pane (server-view.ts, client-view.ts,
 * udp-view.ts): bus events reduced in O(1) each, with subscribers told at most once per frame
 * however many events arrive (frame-scheduler.ts). No React here; the UI reads it on notify.
 */
export class Store implements StoreView {
	server: ServerView;
	client: ClientView;
	udp: UdpView;

	/** What each transcript shows: 'client', or a connection id. */
	readonly filters = new Map<'client' | number, TranscriptFilter>();

	/** The latest thing worth telling the person (errors, warnings, command results). */
	notice: Notice | undefined;

	/** Typed lines read escapes (\r \n \xNN…) into bytes (--escapes, /escapes). */
	inputEscapes = false;

	/** Transcripts told as the tutorial's socket calls (/explain). */
	explain = false;

	/** Each connection's steps with swimlanes instead of its transcript (/timeline). */
	timeline = false;

	/** A replay feeds it (socket-tui replay FILE): nothing can be typed to a connection. */
	replaying = false;

	/** For useSyncExternalStore: changes once per notified frame. */
	readonly getVersion: () => number;
	readonly subscribe: (listener: () => void) => () => void;

	readonly #frames: FrameScheduler;
	readonly #unsubscribe: () => void;
	readonly #settings: StoreOptions;
	readonly #clock: () => number;
	/** The newest event's time (the clock of `clock: 'events'`). */
	#lastTs = 0;

	constructor(bus: EventBus, options: Partial<StoreOptions> = {}) {
		const settings = {...defaultOptions, loopLoad: options.loopLoad ?? loopLoadMeter(), ...options};
		this.#settings = settings;
		const {clock} = settings;
		this.#clock = clock === 'events' ? () => this.#lastTs : clock;
		this.server = new ServerView(settings, this.#tell);
		this.client = new ClientView(settings.transcriptLines);
		this.udp = new UdpView(settings.feedLines, this.#tell);
		this.#frames = new FrameScheduler(settings, () => {
			const now = this.now();
			this.server.prune(now);
			if (this.server.flushTails(now)) {
				this.#frames.changed(); // Another frame, to show the lines still unfinished once quiet.
			}
		});
		this.getVersion = this.#frames.getVersion;
		this.subscribe = this.#frames.subscribe;
		this.#unsubscribe = bus.subscribe(event => {
			this.apply(event);
		});
	}

	readonly now = (): number => this.#clock();

	/**
	 * Forgets every pane's state, as before the first event (a replay seeking back reduces the
	 * log again from its start). What the person set — filters, /explain, /timeline — stays.
	 */
	reset(): void {
		this.server = new ServerView(this.#settings, this.#tell);
		this.client = new ClientView(this.#settings.transcriptLines);
		this.udp = new UdpView(this.#settings.feedLines, this.#tell);
		this.notice = undefined;
		this.#lastTs = 0;
		this.#frames.changed();
	}

	/** Time has passed up to `now` with no event (a replay): relayed lines quiet since are shown. */
	advance(now: number): void {
		this.server.flushTails(now);
	}

	/** A frame, though no event came (a replay's position moved). */
	invalidate(): void {
		this.#frames.changed();
	}

	readonly #tell = (notice: Notice): void => {
		this.notice = notice;
	};

	/** Connection rows by id (the server pane's). */
	get rows(): Map<number, ConnectionRow> {
		return this.server.rows;
	}

	/** Connection ids in arrival order (the screen's order). */
	get order(): number[] {
		return this.server.order;
	}

	dispose(): void {
		this.#unsubscribe();
		this.#frames.dispose();
	}

	/** Tells subscribers now (tests; the timer does it otherwise). */
	flush(): void {
		this.#frames.flush();
	}

	/** A line from the app itself (command results, help), shown in the client transcript. */
	say(text: string, level: Notice['level'] = 'info'): void {
		const ts = this.now();
		this.client.transcript.push({ts, direction: level === 'error' ? 'error' : 'info', text});
		this.notice = {text, level, ts};
		this.#frames.changed();
	}

	/** The status line's notice is done with (a key acted since, and it no longer applies). */
	clearNotice(): void {
		if (this.notice !== undefined) {
			this.notice = undefined;
			this.#frames.changed();
		}
	}

	/** A status-line notice only (not in any transcript). */
	notify(text: string, level: Notice['level'] = 'info'): void {
		this.notice = {text, level, ts: this.now()};
		this.#frames.changed();
	}

	setExplain(on: boolean): void {
		this.explain = on;
		this.#frames.changed();
	}

	setTimeline(on: boolean): void {
		this.timeline = on;
		this.#frames.changed();
	}

	setInputEscapes(on: boolean): void {
		this.inputEscapes = on;
		this.#frames.changed();
	}

	setFilter(scope: 'client' | number, filter: TranscriptFilter | undefined): void {
		if (filter) {
			this.filters.set(scope, filter);
		} else {
			this.filters.delete(scope);
		}

		this.#frames.changed();
	}

	clearClientTranscript(): void {
		this.client.transcript.clear();
		this.#frames.changed();
	}

	/** Reduces one event into its pane's state, and asks for a frame when something shows. */
	apply(event: SocketEvent): void {
		this.#lastTs = event.ts;
		switch (paneOf(event.type)) {
			case 'server': {
				if (!this.server.apply(event as Parameters<ServerView['apply']>[0])) {
					return; // Counted, not worth a repaint on its own.
				}

				break;
			}

			case 'client': {
				this.client.apply(event as Parameters<ClientView['apply']>[0]);
				break;
			}

			case 'udp': {
				this.udp.apply(event as Parameters<UdpView['apply']>[0]);
				break;
			}

			default: {
				break;
			}
		}

		this.#frames.changed();
	}
}

const panes = new Map<string, 'server' | 'client' | 'udp' | undefined>();

/** Which pane an event type belongs to (by its prefix, looked up once per type). */
function paneOf(type: SocketEvent['type']): 'server' | 'client' | 'udp' | undefined {
	let pane = panes.get(type);
	if (pane === undefined && !panes.has(type)) {
		const prefix = type.slice(0, type.indexOf('.'));
		pane = prefix === 'conn' || prefix === 'server' || prefix === 'relay' || prefix === 'kernel' ? 'server' : (prefix === 'client' || prefix === 'udp' ? prefix : undefined);
		panes.set(type, pane);
	}

	return pane;
}
