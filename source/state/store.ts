import type {EventBus} from '../bus.js';
import type {ClientState, ClientSummary, Endpoint, Remote, SocketEvent} from '../events.js';
import {formatHostPort} from '../format/host-port.js';
import {lineEndingLength} from '../protocol/line-ending.js';
import {clientStateText, clientSummaryText, isClientFailure} from '../wording/client-status.js';
import {FrameScheduler} from './frame-scheduler.js';
import {loopLoadMeter} from './loop-load.js';
import {RateMeter} from './rate.js';
import {RingBuffer} from './ring-buffer.js';
import type {TranscriptFilter} from './transcript-filter.js';
import type {Direction, TranscriptLine} from './transcript.js';
import {TranscriptRing} from './transcript-ring.js';

export {lineBytes, type Direction, type TranscriptLine} from './transcript.js';

export type ConnectionRow = {
	readonly id: number;
	readonly peer: string;
	state: 'open' | 'closed';
	readonly openedAt: number;
	closedAt: number | undefined;
	reason: string | undefined;
	messagesIn: number;
	messagesOut: number;
	bytesIn: number;
	bytesOut: number;
	last: TranscriptLine | undefined;
	warning: string | undefined;
	readonly transcript: TranscriptRing;
};

export type UdpLine = TranscriptLine & {readonly peer: string; readonly bytes: number; readonly denied?: boolean};

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
};


const defaultOptions: Omit<StoreOptions, 'loopLoad'> = {frameMs: 33, busyFrameMs: 80, closedRetentionMs: 30_000, maxClosedRows: 500, transcriptLines: 500, feedLines: 1000};

/**
 * The view model: bus events reduced into plain state in O(1) each, with subscribers told at
 * most once per frame however many events arrive. No React here; the UI reads it on notify.
 */
export class Store {
	readonly server = {
		listening: undefined as {host: string; port: number; loopback: boolean} | undefined,
		error: undefined as string | undefined,
		open: 0,
		total: 0,
		messages: 0,
		rate: new RateMeter(),
	};

	/** Connection rows by id, and their ids in arrival order (the screen's order). */
	readonly rows = new Map<number, ConnectionRow>();
	order: number[] = [];

	readonly client = {
		id: undefined as number | undefined,
		state: 'idle' as ClientState | 'idle',
		reason: undefined as string | undefined,
		remote: undefined as Remote | undefined,
		connectMs: undefined as number | undefined,
		summary: undefined as ClientSummary | undefined,
		transcript: new RingBuffer<TranscriptLine>(defaultOptions.transcriptLines),
	};

	readonly udp = {
		listening: undefined as {host: string; port: number} | undefined,
		error: undefined as string | undefined,
		datagrams: 0,
		replies: 0,
		rate: new RateMeter(),
		feed: new RingBuffer<UdpLine>(defaultOptions.feedLines),
	};

	/** What each transcript shows: 'client', or a connection id. */
	readonly filters = new Map<'client' | number, TranscriptFilter>();

	/** The latest thing worth telling the person (errors, warnings, command results). */
	notice: {text: string; level: 'info' | 'warning' | 'error'; ts: number} | undefined;

	readonly #options: StoreOptions;
	readonly #frames: FrameScheduler;
	#closedRows = 0;
	readonly #unsubscribe: () => void;

	constructor(bus: EventBus, options: Partial<StoreOptions> = {}) {
		this.#options = {...defaultOptions, loopLoad: options.loopLoad ?? loopLoadMeter(), ...options};
		this.#frames = new FrameScheduler(this.#options, now => {
			this.#prune(now);
		});
		this.getVersion = this.#frames.getVersion;
		this.subscribe = this.#frames.subscribe;
		this.client.transcript = new RingBuffer(this.#options.transcriptLines);
		this.udp.feed = new RingBuffer(this.#options.feedLines);
		this.#unsubscribe = bus.subscribe(event => {
			this.apply(event);
		});
	}

	/** For useSyncExternalStore: changes once per notified frame (frame-scheduler.ts). */
	readonly getVersion: () => number;
	readonly subscribe: (listener: () => void) => () => void;

	dispose(): void {
		this.#unsubscribe();
		this.#frames.dispose();
	}

	/** Tells subscribers now (tests; the timer does it otherwise). */
	flush(): void {
		this.#frames.flush();
	}

	/** A line from the app itself (command results, help), shown in the client transcript. */
	say(text: string, level: 'info' | 'warning' | 'error' = 'info'): void {
		const ts = Date.now();
		this.client.transcript.push({ts, direction: level === 'error' ? 'error' : 'info', text});
		this.notice = {text, level, ts};
		this.#changed();
	}

	/** A status-line notice only (not in any transcript). */
	notify(text: string, level: 'info' | 'warning' | 'error' = 'info'): void {
		this.notice = {text, level, ts: Date.now()};
		this.#changed();
	}

	setFilter(scope: 'client' | number, filter: TranscriptFilter | undefined): void {
		if (filter) {
			this.filters.set(scope, filter);
		} else {
			this.filters.delete(scope);
		}

		this.#changed();
	}

	clearClientTranscript(): void {
		this.client.transcript.clear();
		this.#changed();
	}

	apply(event: SocketEvent): void {
		switch (event.type) {
			case 'server.listening': {
				this.server.listening = {host: event.host, port: event.port, loopback: event.loopback};
				break;
			}

			case 'server.error': {
				this.server.error = `${event.message} — ${event.hint}`;
				this.notice = {text: this.server.error, level: 'error', ts: event.ts};
				break;
			}

			case 'conn.open': {
				this.server.open++;
				this.server.total++;
				const row: ConnectionRow = {
					id: event.id,
					peer: formatHostPort(event.peer.address, event.peer.port),
					state: 'open',
					openedAt: event.ts,
					closedAt: undefined,
					reason: undefined,
					messagesIn: 0,
					messagesOut: 0,
					bytesIn: 0,
					bytesOut: 0,
					last: undefined,
					warning: undefined,
					transcript: new TranscriptRing(this.#options.transcriptLines),
				};
				this.rows.set(event.id, row);
				this.order.push(event.id);
				break;
			}

			case 'conn.read': {
				const row = this.rows.get(event.id);
				if (row) {
					row.bytesIn += event.bytes;
				}

				return; // Counted, not worth a repaint on its own.
			}

			case 'conn.write': {
				const row = this.rows.get(event.id);
				if (row) {
					row.bytesOut += event.bytes;
				}

				return;
			}

			case 'conn.message': {
				this.server.messages++;
				this.server.rate.tick(event.ts);
				const row = this.rows.get(event.id);
				if (row) {
					row.messagesIn++;
					const line = inLine(event);
					row.last = line;
					row.transcript.push(line);
				}

				break;
			}

			case 'conn.reply': {
				const row = this.rows.get(event.id);
				if (row) {
					row.messagesOut++;
					row.transcript.push(outLine(event.ts, event.text, event.base64));
				}

				break;
			}

			case 'conn.warning': {
				const row = this.rows.get(event.id);
				if (row) {
					row.warning = event.detail;
					row.transcript.push({ts: event.ts, direction: 'error', text: event.detail});
				}

				this.notice = {text: `${row?.peer ?? `#${event.id}`}: ${event.detail}`, level: 'warning', ts: event.ts};
				break;
			}

			case 'conn.close': {
				const row = this.rows.get(event.id);
				if (row?.state === 'open') {
					row.state = 'closed';
					row.closedAt = event.ts;
					row.reason = event.reason;
					row.transcript.push({ts: event.ts, direction: 'info', text: `closed (${event.reason})`});
					this.server.open--;
					this.#closedRows++;
				}

				break;
			}

			case 'client.state': {
				this.#applyClientState(event);
				break;
			}

			case 'client.end': {
				this.client.transcript.push({ts: event.ts, direction: 'info', text: event.by === 'peer' ? 'the server finished sending (half-close)' : 'we finished sending (half-close)'});
				break;
			}

			case 'client.sent': {
				this.client.transcript.push(outLine(event.ts, event.text, event.base64));
				break;
			}

			case 'client.received': {
				const line = inLine(event);
				this.client.transcript.push(event.rttMs === undefined ? line : {...line, rttMs: event.rttMs});
				break;
			}

			case 'udp.listening': {
				this.udp.listening = {host: event.host, port: event.port};
				break;
			}

			case 'udp.error': {
				this.udp.error = `${event.message} — ${event.hint}`;
				this.notice = {text: this.udp.error, level: 'error', ts: event.ts};
				break;
			}

			case 'udp.datagram': {
				this.udp.datagrams++;
				this.udp.rate.tick(event.ts);
				this.udp.feed.push(udpLine(event.ts, 'in', event.text, event));
				break;
			}

			case 'udp.reply':
			case 'udp.sent': {
				if (event.type === 'udp.reply') {
					this.udp.replies++;
				}

				// A datagram's line ending is part of it: shown, as in what came in.
				this.udp.feed.push(udpLine(event.ts, 'out', event.text, event));
				break;
			}

			default: {
				break;
			}
		}

		this.#changed();
	}

	#applyClientState(event: Extract<SocketEvent, {type: 'client.state'}>): void {
		const {client} = this;
		client.id = event.id;
		client.state = event.state;
		client.reason = event.reason;
		client.remote = event.remote;
		if (event.connectMs !== undefined) {
			client.connectMs = event.connectMs;
		}

		if (event.summary) {
			client.summary = event.summary;
		}

		client.transcript.push({ts: event.ts, direction: isClientFailure(event.state) ? 'error' : 'info', text: clientStateText(event)});
		if (event.summary) {
			client.transcript.push({ts: event.ts, direction: 'info', text: clientSummaryText(event.summary, 'line')});
		}
	}

	#changed(): void {
		this.#frames.changed();
	}

	/** Forgets closed rows past their time on screen (and the oldest beyond the cap). */
	#prune(now: number): void {
		if (this.#closedRows === 0) {
			return;
		}

		const {closedRetentionMs, maxClosedRows} = this.#options;
		let excess = this.#closedRows - maxClosedRows;
		const kept: number[] = [];
		for (const id of this.order) {
			const row = this.rows.get(id)!;
			if (row.state === 'closed' && (excess > 0 || now - row.closedAt! > closedRetentionMs)) {
				excess--;
				this.#closedRows--;
				this.rows.delete(id);
				continue;
			}

			kept.push(id);
		}

		if (kept.length !== this.order.length) {
			this.order = kept;
		}
	}
}

/** A line of the UDP feed, one literal per shape (this runs for every datagram and reply). */
function udpLine(ts: number, direction: Direction, text: string, event: {readonly peer: Endpoint; readonly bytes: number; readonly base64?: string; readonly denied?: boolean}): UdpLine {
	const peer = formatHostPort(event.peer.address, event.peer.port);
	const {bytes, base64} = event;
	if (event.denied) {
		return {ts, direction, text, ...(base64 === undefined ? {} : {base64}), peer, bytes, denied: true};
	}

	return base64 === undefined ? {ts, direction, text, peer, bytes} : {ts, direction, text, base64, peer, bytes};
}


const lf = '\n';

/** A framed message as a transcript line: its text, and the ending and blank lines it had. */
function inLine(event: {readonly ts: number; readonly text: string; readonly base64?: string; readonly eol?: string; readonly skipped?: string}): TranscriptLine {
	const eol = event.eol ?? lf;
	const line: TranscriptLine = event.base64 === undefined ? {ts: event.ts, direction: 'in', text: event.text, eol} : {ts: event.ts, direction: 'in', text: event.text, base64: event.base64, eol};
	return event.skipped === undefined ? line : {...line, lead: event.skipped};
}

/** What we sent as a transcript line: its text without the line ending, which is kept apart. */
function outLine(ts: number, text: string, base64: string | undefined): TranscriptLine {
	if (base64 !== undefined) {
		const bytes = Buffer.from(base64, 'base64');
		const ending = lineEndingLength(bytes);
		const body = bytes.subarray(0, bytes.length - ending);
		const eol = ending === 0 ? undefined : bytes.toString('latin1', bytes.length - ending);
		const line: TranscriptLine = {ts, direction: 'out', text: body.toString('utf8'), base64: body.toString('base64')};
		return eol === undefined ? line : {...line, eol};
	}

	const ending = text.endsWith('\r\n') ? 2 : (text.endsWith('\n') || text.endsWith('\r') ? 1 : 0);
	return ending === 0 ? {ts, direction: 'out', text} : {ts, direction: 'out', text: text.slice(0, -ending), eol: ending === 1 && text.endsWith(lf) ? lf : text.slice(-ending)};
}
