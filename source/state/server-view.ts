import type {SocketEvent} from '../events.js';
import {formatHostPort} from '../format/host-port.js';
import {RateMeter} from './rate.js';
import {TranscriptRing} from './transcript-ring.js';
import type {ConnectionRow} from './connection-row.js';
import {RelayRows} from './relay-rows.js';
import {relayDataStep, StepRing, type Step} from './steps.js';
import {inboundLine, outboundLine} from './transcript.js';

export type {ConnectionRow} from './connection-row.js';

export type ServerViewOptions = {
	readonly transcriptLines: number;
	/** How long a closed row stays on screen, dimmed. */
	readonly closedRetentionMs: number;
	/** At most this many closed rows are kept, whatever their age. */
	readonly maxClosedRows: number;
};

/** Something worth the status line. */
export type Notice = {readonly text: string; readonly level: 'info' | 'warning' | 'error'; readonly ts: number};

type ServerEvent = Extract<SocketEvent, {type: `server.${string}` | `conn.${string}` | `relay.${string}` | `kernel.${string}`}>;

/**
 * The TCP server pane's state: the listener, counts, and one row per connection (in arrival
 * order) with its transcript. Every event is reduced in O(1); closed rows are pruned per frame.
 */
export class ServerView {
	/** Where we listen; for a relay, also where each client is passed on to (HOST:PORT). */
	listening: {host: string; port: number; loopback: boolean; upstream?: string; backlog?: number; ts?: number} | undefined;
	/** serve --tls: the certificate clients see (its fingerprint, for openssl s_client users). */
	tls: {fingerprint256: string; generated: boolean} | undefined;
	error: string | undefined;
	/** The listener has closed (server.closed). */
	closed = false;
	open = 0;
	total = 0;
	messages = 0;
	readonly rate = new RateMeter();
	/** Connection rows by id, and their ids in arrival order (the screen's order). */
	readonly rows = new Map<number, ConnectionRow>();
	order: number[] = [];
	#closedRows = 0;
	readonly #relay: RelayRows;

	constructor(
		private readonly options: ServerViewOptions,
		private readonly tell: (notice: Notice) => void,
	) {
		this.#relay = new RelayRows(this, tell);
	}

	/** A new open row, last in the order. */
	addRow(id: number, peer: string, ts: number, relay?: ConnectionRow['relay']): ConnectionRow {
		this.open++;
		this.total++;
		const row: ConnectionRow = {
			id,
			peer,
			state: 'open',
			openedAt: ts,
			closedAt: undefined,
			reason: undefined,
			messagesIn: 0,
			messagesOut: 0,
			bytesIn: 0,
			bytesOut: 0,
			last: undefined,
			warning: undefined,
			transcript: new TranscriptRing(this.options.transcriptLines),
			steps: new StepRing(id),
			...(relay ? {relay} : {}),
		};
		this.rows.set(id, row);
		this.order.push(id);
		return row;
	}

	/** The row is closed (kept, dimmed, until pruned). */
	closeRow(row: ConnectionRow, ts: number, reason: string): void {
		if (row.state !== 'open') {
			return;
		}

		row.state = 'closed';
		row.closedAt = ts;
		row.reason = reason;
		row.transcript.push({ts, direction: 'info', text: `closed (${reason})`});
		this.open--;
		this.#closedRows++;
	}

	/** A message shown: the pane's count and rate. */
	countMessage(ts: number): void {
		this.messages++;
		this.rate.tick(ts);
	}

	/** Shows unfinished relayed lines that have been quiet a while; true while some still wait. */
	flushTails(now: number): boolean {
		return this.#relay.flushTails(now);
	}

	/** Reduces one event; false when only a count changed (not worth a repaint on its own). */
	apply(event: ServerEvent): boolean {
		if (event.type.startsWith('relay.')) {
			const shows = this.#relay.apply(event as Parameters<RelayRows['apply']>[0]);
			// Its row's timeline (after the reduction: relay.open makes the row).
			if ('id' in event) {
				this.rows.get(event.id)?.steps.push(event.type === 'relay.data' ? relayDataStep(event) : event as Step);
			}

			return shows;
		}

		return this.#reduce(event);
	}

	#reduce(event: ServerEvent): boolean {

		switch (event.type) {
			case 'server.listening': {
				this.listening = {host: event.host, port: event.port, loopback: event.loopback, backlog: event.backlog, ts: event.ts};
				return true;
			}

			case 'server.closed': {
				// The listener is gone (shutdown; a replay's end): the header says so, not "listening".
				this.closed = true;
				return true;
			}

			case 'server.exec': {
				this.tell({text: `⚠ --${event.shell ? 'sh-exec' : 'exec'}: every connection runs ${event.command}${event.loopback ? '' : ', and the port is reachable beyond this machine'}`, level: 'warning', ts: event.ts});
				return true;
			}

			case 'conn.exec': {
				this.#step(event);
				this.rows.get(event.id)?.transcript.push({ts: event.ts, direction: 'info', text: `runs ${event.command} (pid ${event.pid})`});
				return true;
			}

			case 'conn.exit': {
				this.#step(event);
				const row = this.rows.get(event.id);
				if (row) {
					const how = event.error === undefined ? (event.signal === null ? `exited with code ${event.code ?? '?'}` : `killed by ${event.signal}`) : `could not start: ${event.error}`;
					row.warning = `program ${how}`;
					row.transcript.push({ts: event.ts, direction: event.code === 0 ? 'info' : 'error', text: `program ${how}`});
				}

				return true;
			}

			case 'conn.stderr': {
				this.#step(event);
				this.rows.get(event.id)?.transcript.push({ts: event.ts, direction: 'error', text: `stderr: ${event.text.replace(/\r?\n$/, '')}`});
				return true;
			}

			case 'server.tls': {
				this.tls = {fingerprint256: event.fingerprint256, generated: event.generated};
				this.tell({text: `TLS: ${event.generated ? 'self-signed certificate made now' : 'certificate of --cert'} for ${event.subject}, SHA-256 ${event.fingerprint256}`, level: 'info', ts: event.ts});
				return true;
			}

			case 'kernel.overflow': {
				this.tell({text: `the kernel dropped ${event.dropped} connection${event.dropped === 1 ? '' : 's'}: a listen backlog was full (ListenOverflows)`, level: 'warning', ts: event.ts});
				return true;
			}

			case 'kernel.time-wait': {
				this.#step(event);
				this.rows.get(event.id)?.transcript.push({ts: event.ts, direction: 'info', text: `TIME_WAIT: port ${event.localPort} ↔ ${event.peerPort} lingers ~60 s in the kernel, on the end that closed first`});
				return true;
			}

			case 'server.error': {
				this.error = `${event.message} — ${event.hint}`;
				this.tell({text: this.error, level: 'error', ts: event.ts});
				return true;
			}

			case 'conn.open': {
				// A Unix socket's peer is its number (unix#3): it has no address.
				const row = this.addRow(event.id, event.peer.address.startsWith('unix#') ? event.peer.address : formatHostPort(event.peer.address, event.peer.port), event.ts);
				if (event.tls) {
					row.transcript.push({ts: event.ts, direction: 'info', text: `TLS: ${event.tls.protocol} ${event.tls.cipher}`});
				}

				row.steps.push(event);
				return true;
			}

			case 'conn.read': {
				const row = this.rows.get(event.id);
				if (row) {
					row.bytesIn += event.bytes;
					row.steps.push(event);
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
				this.countMessage(event.ts);
				const row = this.rows.get(event.id);
				if (row) {
					row.messagesIn++;
					const line = inboundLine(event);
					row.last = line;
					row.transcript.push(line);
					row.steps.push(event);
				}

				return true;
			}

			case 'conn.reply': {
				const row = this.rows.get(event.id);
				if (row) {
					row.messagesOut++;
					row.transcript.push(outboundLine(event.ts, event.text, event.base64));
					row.steps.push(event);
				}

				return true;
			}

			case 'conn.warning': {
				this.#step(event);
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
				if (row) {
					row.steps.push(event);
					// A failed TLS handshake's row says why (the warning before it).
					this.closeRow(row, event.ts, (event.reason === 'tls-error' || event.reason === 'program-exit') && row.warning !== undefined ? row.warning : event.reason);
				}

				return true;
			}

			case 'conn.end': {
				this.#step(event);
				return true;
			}

			default: {
				return true;
			}
		}
	}

	/** A step of its row's timeline (a write is not one: the reply before it tells the same send). */
	#step(event: Step): void {
		this.rows.get(event.id)?.steps.push(event);
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
