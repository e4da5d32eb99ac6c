import type {SocketEvent} from '../events.js';
import {formatHostPort} from '../format/host-port.js';
import {RateMeter} from './rate.js';
import {TranscriptRing} from './transcript-ring.js';
import {inboundLine, outboundLine, type TranscriptLine} from './transcript.js';

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

export type ServerViewOptions = {
	readonly transcriptLines: number;
	/** How long a closed row stays on screen, dimmed. */
	readonly closedRetentionMs: number;
	/** At most this many closed rows are kept, whatever their age. */
	readonly maxClosedRows: number;
};

/** Something worth the status line. */
export type Notice = {readonly text: string; readonly level: 'info' | 'warning' | 'error'; readonly ts: number};

type ServerEvent = Extract<SocketEvent, {type: `server.${string}` | `conn.${string}`}>;

/**
 * The TCP server pane's state: the listener, counts, and one row per connection (in arrival
 * order) with its transcript. Every event is reduced in O(1); closed rows are pruned per frame.
 */
export class ServerView {
	listening: {host: string; port: number; loopback: boolean} | undefined;
	error: string | undefined;
	open = 0;
	total = 0;
	messages = 0;
	readonly rate = new RateMeter();
	/** Connection rows by id, and their ids in arrival order (the screen's order). */
	readonly rows = new Map<number, ConnectionRow>();
	order: number[] = [];
	#closedRows = 0;

	constructor(
		private readonly options: ServerViewOptions,
		private readonly tell: (notice: Notice) => void,
	) {}

	/** Reduces one event; false when only a count changed (not worth a repaint on its own). */
	apply(event: ServerEvent): boolean {
		switch (event.type) {
			case 'server.listening': {
				this.listening = {host: event.host, port: event.port, loopback: event.loopback};
				return true;
			}

			case 'server.error': {
				this.error = `${event.message} — ${event.hint}`;
				this.tell({text: this.error, level: 'error', ts: event.ts});
				return true;
			}

			case 'conn.open': {
				this.open++;
				this.total++;
				this.rows.set(event.id, {
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
					transcript: new TranscriptRing(this.options.transcriptLines),
				});
				this.order.push(event.id);
				return true;
			}

			case 'conn.read': {
				const row = this.rows.get(event.id);
				if (row) {
					row.bytesIn += event.bytes;
				}

				return false;
			}

			case 'conn.write': {
				const row = this.rows.get(event.id);
				if (row) {
					row.bytesOut += event.bytes;
				}

				return false;
			}

			case 'conn.message': {
				this.messages++;
				this.rate.tick(event.ts);
				const row = this.rows.get(event.id);
				if (row) {
					row.messagesIn++;
					const line = inboundLine(event);
					row.last = line;
					row.transcript.push(line);
				}

				return true;
			}

			case 'conn.reply': {
				const row = this.rows.get(event.id);
				if (row) {
					row.messagesOut++;
					row.transcript.push(outboundLine(event.ts, event.text, event.base64));
				}

				return true;
			}

			case 'conn.warning': {
				const row = this.rows.get(event.id);
				if (row) {
					row.warning = event.detail;
					row.transcript.push({ts: event.ts, direction: 'error', text: event.detail});
				}

				this.tell({text: `${row?.peer ?? `#${event.id}`}: ${event.detail}`, level: 'warning', ts: event.ts});
				return true;
			}

			case 'conn.close': {
				const row = this.rows.get(event.id);
				if (row?.state === 'open') {
					row.state = 'closed';
					row.closedAt = event.ts;
					row.reason = event.reason;
					row.transcript.push({ts: event.ts, direction: 'info', text: `closed (${event.reason})`});
					this.open--;
					this.#closedRows++;
				}

				return true;
			}

			default: {
				return true;
			}
		}
	}

	/** Forgets closed rows past their time on screen (and the oldest beyond the cap). */
	prune(now: number): void {
		if (this.#closedRows === 0) {
			return;
		}

		const {closedRetentionMs, maxClosedRows} = this.options;
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
