import type {Endpoint, SocketEvent} from '../events.js';
import {formatHostPort} from '../format/host-port.js';
import {RateMeter} from './rate.js';
import {RingBuffer} from './ring-buffer.js';
import type {Direction, TranscriptLine} from './transcript.js';
import type {Notice} from './server-view.js';

export type UdpLine = TranscriptLine & {readonly peer: string; readonly bytes: number; readonly denied?: boolean};

type UdpEvent = Extract<SocketEvent, {type: `udp.${string}`}>;

/** The UDP pane's state: the endpoint, counts, and the last datagrams in and out. */
export class UdpView {
	listening: {host: string; port: number} | undefined;
	/** The endpoint has closed (udp.closed): a replay's end, a shutdown. */
	closed = false;
	error: string | undefined;
	datagrams = 0;
	replies = 0;
	readonly rate = new RateMeter();
	readonly feed: RingBuffer<UdpLine>;

	constructor(
		feedLines: number,
		private readonly tell: (notice: Notice) => void,
	) {
		this.feed = new RingBuffer<UdpLine>(feedLines);
	}

	apply(event: UdpEvent): void {
		switch (event.type) {
			case 'udp.listening': {
				this.listening = {host: event.host, port: event.port};
				break;
			}

			case 'udp.closed': {
				this.closed = true;
				break;
			}

			case 'udp.error': {
				this.error = `${event.message} — ${event.hint}`;
				this.tell({text: this.error, level: 'error', ts: event.ts});
				break;
			}

			case 'udp.datagram': {
				this.datagrams++;
				this.rate.tick(event.ts);
				this.feed.push(udpLine(event.ts, 'in', event.text, event));
				break;
			}

			case 'udp.reply':
			case 'udp.sent': {
				if (event.type === 'udp.reply') {
					this.replies++;
				}

				// A datagram's line ending is part of it: shown, as in what came in.
				this.feed.push(udpLine(event.ts, 'out', event.text, event));
				break;
			}

			default: {
				break;
			}
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
