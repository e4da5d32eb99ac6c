import type {EventOf, SocketEvent} from '../events.js';
import {isUtf8} from 'node:buffer';
import {formatHostPort, formatRemote} from '../format/host-port.js';
import {BinaryFramer, binaryFraming, type BinaryFraming} from '../protocol/binary-framing.js';
import {payloadBytes} from '../protocol/payload.js';
import {describeTlsLines} from '../wording/tls.js';
import {newRelayRowState, type ConnectionRow, type RelayRowState} from './connection-row.js';
import {outboundLine, type Direction, type TranscriptLine} from './transcript.js';

type RelayEvent = Extract<SocketEvent, {type: `relay.${string}`}>;

/** What the relay rows need of the server pane's state (server-view.ts). */
export type RowTable = {
	readonly rows: Map<number, ConnectionRow>;
	listening: {host: string; port: number; loopback: boolean; upstream?: string} | undefined;
	addRow(id: number, peer: string, ts: number, relay: RelayRowState): ConnectionRow;
	closeRow(row: ConnectionRow, ts: number, reason: string): void;
	countMessage(ts: number): void;
};

/** An unfinished line is shown after this long without the rest (as the server's idle flush). */
const tailQuietMs = 150;

type Way = 'up' | 'down';

function wayOf(from: 'client' | 'upstream'): Way {
	return from === 'client' ? 'up' : 'down';
}

function directionOf(way: Way): Direction {
	return way === 'up' ? 'in' : 'out';
}

/**
 * The relay's events as server-pane rows: one per relayed connection, its transcript showing both
 * directions (in: client → upstream, out: upstream → client) cut into lines, as --framing line
 * would (reads are not lines: a line split across reads is joined, and an unfinished one is shown
 * once quiet). Held messages are kept apart, for the screen to list, edit and release.
 */
export class RelayRows {
	/** Rows with an unfinished line waiting. */
	readonly #withTails = new Set<ConnectionRow>();
	/** The relay's --framing is chunk: the transcript shows each read as it came. */
	#byRead = false;
	/** The relay's --framing is a length prefix or a delimiter: the transcript shows each frame. */
	#binary: BinaryFraming | undefined;
	/** Each row's frame cutters, one per direction (binary framings only). */
	readonly #framers = new WeakMap<ConnectionRow, {up: BinaryFramer; down: BinaryFramer}>();
	/** The time of the read being cut into frames (the store's clock is the events'). */
	#readTs = 0;

	constructor(
		private readonly table: RowTable,
		private readonly tell: (notice: {text: string; level: 'info' | 'warning' | 'error'; ts: number}) => void,
	) {}

	apply(event: RelayEvent): boolean {
		switch (event.type) {
			case 'relay.listening': {
				this.#binary = event.framing === undefined ? undefined : binaryFraming(event.framing);
				this.#byRead = event.framing !== undefined && this.#binary === undefined;
				const upstream = formatRemote(event.upstream);
				this.table.listening = {host: event.host, port: event.port, loopback: event.loopback, upstream: event.transport === undefined ? upstream : `${event.transport}://${upstream}`};
				return true;
			}

			case 'relay.open': {
				const row = this.table.addRow(event.id, formatHostPort(event.client.address, event.client.port), event.ts, newRelayRowState(event.transport === 'udp'));
				const where = event.upstream.path === undefined ? formatHostPort(event.upstreamPeer.address, event.upstreamPeer.port) : formatRemote(event.upstream);
				row.transcript.push({ts: event.ts, direction: 'info', text: event.transport === 'udp' ? `a new client address; its own socket to ${where}` : `connected to ${where} in ${event.connectMs} ms`});
				for (const line of event.tls ? describeTlsLines(event.tls) : []) {
					row.transcript.push({ts: event.ts, direction: event.tls!.authorized ? 'info' : 'error', text: line});
				}
				return true;
			}

			case 'relay.data': {
				this.#data(event);
				return true;
			}

			case 'relay.held': {
				const row = this.table.rows.get(event.id);
				if (row?.relay) {
					const way = wayOf(event.from);
					const line: TranscriptLine = {ts: event.ts, direction: directionOf(way), text: event.text, ...(event.base64 === undefined ? {} : {base64: event.base64}), eol: event.eol ?? '\n', ...(event.skipped === undefined ? {} : {lead: event.skipped})};
					row.relay.held.push({...line, seq: event.seq, bytes: event.bytes});
					row.relay.heldBytes += event.bytes;
				}

				return true;
			}

			case 'relay.drop': {
				const row = this.table.rows.get(event.id);
				if (row?.relay) {
					this.#unhold(row.relay, event.seq);
					row.transcript.push({ts: event.ts, direction: 'info', text: `${event.from === 'client' ? '↑' : '↓'} dropped #${event.seq} (${event.bytes} B, never sent)`});
				}

				return true;
			}

			case 'relay.pause': {
				const row = this.table.rows.get(event.id);
				if (row?.relay) {
					const way = wayOf(event.from);
					row.relay.paused[way] = event.paused;
					row.transcript.push({ts: event.ts, direction: 'info', text: `${way === 'up' ? '↑ client → upstream' : '↓ upstream → client'} ${event.paused ? 'paused: what arrives is held' : 'resumed'}`});
				}

				return true;
			}

			case 'relay.blocked': {
				const row = this.table.rows.get(event.id);
				if (row?.relay) {
					row.relay.blocked[wayOf(event.from)] = event.blocked;
					const text = event.blocked ? `${event.heldBytes} B held (--max-held ${event.limit}): not reading the ${event.from}` : `reading the ${event.from} again`;
					row.warning = event.blocked ? text : undefined;
					row.transcript.push({ts: event.ts, direction: event.blocked ? 'error' : 'info', text});
					if (event.blocked) {
						this.tell({text: `#${event.id}: ${text}`, level: 'warning', ts: event.ts});
					}
				}

				return true;
			}

			case 'relay.end': {
				const row = this.table.rows.get(event.id);
				if (row?.relay) {
					const way = wayOf(event.from);
					this.#flushTail(row, way);
					row.relay.ended[way] = true;
					row.transcript.push({ts: event.ts, direction: 'info', text: `${way === 'up' ? '↑ the client' : '↓ the upstream'} finished sending (half-close, passed on)`});
				}

				return true;
			}

			case 'relay.close': {
				this.#close(event);
				return true;
			}
		}
	}

	/** Shows the tails quiet for tailQuietMs; true while some are still waiting. */
	flushTails(now: number): boolean {
		for (const row of this.#withTails) {
			for (const way of ['up', 'down'] as const) {
				const tail = row.relay!.tails[way];
				if (tail && now - tail.last >= tailQuietMs) {
					this.#flushTail(row, way);
				}
			}
		}

		return this.#withTails.size > 0;
	}

	#data(event: EventOf<'relay.data'>): void {
		const row = this.table.rows.get(event.id);
		const relay = row?.relay;
		if (!row || !relay) {
			return;
		}

		const way = wayOf(event.from);
		if (way === 'up') {
			row.bytesIn += event.bytes;
		} else {
			row.bytesOut += event.bytes;
		}

		if (event.released !== undefined) {
			this.#unhold(relay, event.released);
		}

		if (event.captured === 0) {
			return; // Past --capture-bytes: counted, not shown.
		}

		if (event.elided !== undefined) {
			this.#flushTail(row, way);
			row.transcript.push({ts: event.ts, direction: 'info', text: `${way === 'up' ? '↑' : '↓'} … ${event.elided} B not shown (a long read: its last lines are; --log keeps all)`});
		}

		const mark = markOf(event);
		if (this.#binary && mark === undefined && event.elided === undefined && event.captured === event.bytes && !relay.datagrams) {
			// Frames, cut as the relay's framing cuts them (reads are not frames).
			this.#readTs = event.ts;
			this.#framerOf(row)[way].push(payloadBytes(event));
			return;
		}

		if (mark !== undefined || event.base64 !== undefined || relay.datagrams || this.#byRead || this.#binary) {
			// A message of its own (steered, or bytes that are not text): one line, as it went,
			// after what either side had started before it.
			this.#flushTail(row, way === 'up' ? 'down' : 'up');
			this.#flushTail(row, way);
			this.#line(row, way, {...outboundLine(event.ts, event.text, event.base64), direction: directionOf(way), ...(mark === undefined ? {} : {mark})});
			return;
		}

		// Text: whole lines, the rest kept until its end comes (or it is quiet).
		const other = way === 'up' ? 'down' : 'up';
		this.#flushTail(row, other);
		const tail = relay.tails[way];
		let text = tail === undefined ? event.text : tail.text + event.text;
		const ts = tail?.ts ?? event.ts;
		let newline = text.indexOf('\n');
		while (newline !== -1) {
			const crlf = newline > 0 && text[newline - 1] === '\r';
			const eol = crlf ? '\r\n' : '\n';
			relay.eol[way] = eol;
			this.#line(row, way, {ts, direction: directionOf(way), text: text.slice(0, crlf ? newline - 1 : newline), eol});
			text = text.slice(newline + 1);
			newline = text.indexOf('\n');
		}

		// The line's time is its first byte's; it counts as quiet from its last.
		relay.tails[way] = text === '' ? undefined : {ts: text.length <= event.text.length ? event.ts : ts, last: event.ts, text};
		if (text === '') {
			this.#forgetTailsIfNone(row);
		} else {
			this.#withTails.add(row);
		}
	}

	#framerOf(row: ConnectionRow): {up: BinaryFramer; down: BinaryFramer} {
		let framers = this.#framers.get(row);
		if (!framers) {
			const cutter = (way: Way): BinaryFramer => new BinaryFramer(this.#binary!, {
				maxLine: 64 * 1024,
				onMessage: ({bytes, ending, skipped}) => {
					const text = bytes.toString('utf8');
					this.#line(row, way, {
						ts: this.#readTs,
						direction: directionOf(way),
						text,
						...(isUtf8(bytes) ? {} : {base64: bytes.toString('base64')}),
						eol: ending.toString('latin1'),
						...(skipped.length === 0 ? {} : {lead: skipped.toString('latin1')}),
					});
				},
			});
			framers = {up: cutter('up'), down: cutter('down')};
			this.#framers.set(row, framers);
		}

		return framers;
	}

	#line(row: ConnectionRow, way: Way, line: TranscriptLine): void {
		if (way === 'up') {
			row.messagesIn++;
		} else {
			row.messagesOut++;
		}

		this.table.countMessage(line.ts);
		row.last = line;
		row.transcript.push(line);
	}

	#flushTail(row: ConnectionRow, way: Way): void {
		const tail = row.relay?.tails[way];
		if (tail) {
			row.relay!.tails[way] = undefined;
			this.#line(row, way, {ts: tail.ts, direction: directionOf(way), text: tail.text});
			this.#forgetTailsIfNone(row);
		}
	}

	#forgetTailsIfNone(row: ConnectionRow): void {
		if (!row.relay?.tails.up && !row.relay?.tails.down) {
			this.#withTails.delete(row);
		}
	}

	#unhold(relay: RelayRowState, seq: number): void {
		const index = relay.held.findIndex(line => line.seq === seq);
		if (index !== -1) {
			relay.heldBytes -= relay.held[index]!.bytes;
			relay.held.splice(index, 1);
		}
	}

	#close(event: EventOf<'relay.close'>): void {
		let row = this.table.rows.get(event.id);
		if (!row) {
			// Closed before its upstream answered (refused, timeout, denied…): a row with the reason.
			const peer = event.client ? formatHostPort(event.client.address, event.client.port) : `#${event.id}`;
			row = this.table.addRow(event.id, peer, event.ts, newRelayRowState());
		}

		this.#flushTail(row, 'up');
		this.#flushTail(row, 'down');
		// The error says it best (`connection refused by …`); `closed` alone reads as both sides done.
		this.table.closeRow(row, event.ts, event.error ?? (event.reason === 'closed' ? 'both sides finished' : event.reason));
		row.relay!.held.length = 0;
	}
}

/** How a relayed message was steered, as its transcript line says. */
function markOf(event: EventOf<'relay.data'>): string | undefined {
	if (event.injected) {
		return 'injected';
	}

	if (event.rewritten) {
		return 'rewritten';
	}

	if (event.notRewritten) {
		return 'not rewritten: too large';
	}

	if (event.edited) {
		return `#${event.released!} edited`;
	}

	return event.released === undefined ? undefined : `#${event.released} released`;
}
