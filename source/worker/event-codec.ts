import type {SocketEvent} from '../events.js';

/**
 * Events between the engine thread and the screen's, packed flat: the four events of every
 * message (read, message, reply, write) as a few numbers and strings each, anything else as
 * itself. Structured clone copies an array of primitives about four times faster than the same
 * events as objects (measured: 800,000 events in ~0.1 s instead of ~0.4 s), and the screen's
 * thread is the one that has the least time to spare. Datagrams and their replies, and a relay's
 * plain reads, likewise.
 */
export type Packed = unknown[];

const read = 0;
const write = 1;
const message = 2;
const reply = 3;
const other = 4;
const datagram = 5;
const udpReply = 6;
const relayData = 7;

/** Appends one event to a batch. */
export function pack(batch: Packed, event: SocketEvent): void {
	switch (event.type) {
		case 'conn.read': {
			batch.push(read, event.ts, event.id, event.bytes);
			return;
		}

		case 'conn.write': {
			batch.push(write, event.ts, event.id, event.bytes);
			return;
		}

		case 'conn.message': {
			if (event.base64 === undefined && event.partial === undefined && event.eol === undefined && event.skipped === undefined) {
				batch.push(message, event.ts, event.id, event.text);
				return;
			}

			break;
		}

		case 'conn.reply': {
			if (event.base64 === undefined) {
				batch.push(reply, event.ts, event.id, event.kind, event.text);
				return;
			}

			break;
		}

		case 'relay.data': {
			if (event.base64 === undefined && event.released === undefined && event.edited === undefined && event.rewritten === undefined && event.injected === undefined && event.elided === undefined) {
				batch.push(relayData, event.ts, event.id, event.from === 'client' ? 0 : 1, event.bytes, event.captured, event.text);
				return;
			}

			break;
		}

		case 'udp.datagram':
		case 'udp.reply': {
			if (event.base64 === undefined && (event.type === 'udp.reply' || event.denied === undefined)) {
				const {address, port, family} = event.peer;
				batch.push(event.type === 'udp.datagram' ? datagram : udpReply, event.ts, address, port, family, event.bytes, event.text);
				return;
			}

			break;
		}

		default: {
			break;
		}
	}

	batch.push(other, event);
}

/** Calls `each` with every event of a batch, in order, as the engines published it. */
export function unpack(batch: Packed, each: (event: SocketEvent) => void): void {
	let index = 0;
	while (index < batch.length) {
		const code = batch[index] as number;
		switch (code) {
			case read:
			case write: {
				each({type: code === read ? 'conn.read' : 'conn.write', ts: batch[index + 1] as number, id: batch[index + 2] as number, bytes: batch[index + 3] as number});
				index += 4;
				break;
			}

			case message: {
				each({type: 'conn.message', ts: batch[index + 1] as number, id: batch[index + 2] as number, text: batch[index + 3] as string});
				index += 4;
				break;
			}

			case reply: {
				each({type: 'conn.reply', ts: batch[index + 1] as number, id: batch[index + 2] as number, kind: batch[index + 3] as Extract<SocketEvent, {type: 'conn.reply'}>['kind'], text: batch[index + 4] as string});
				index += 5;
				break;
			}

			case datagram:
			case udpReply: {
				const peer = {address: batch[index + 2] as string, port: batch[index + 3] as number, family: batch[index + 4] as 'IPv4' | 'IPv6'};
				each({type: code === datagram ? 'udp.datagram' : 'udp.reply', ts: batch[index + 1] as number, peer, bytes: batch[index + 5] as number, text: batch[index + 6] as string});
				index += 7;
				break;
			}

			case relayData: {
				each({type: 'relay.data', ts: batch[index + 1] as number, id: batch[index + 2] as number, from: batch[index + 3] === 0 ? 'client' : 'upstream', bytes: batch[index + 4] as number, captured: batch[index + 5] as number, text: batch[index + 6] as string});
				index += 7;
				break;
			}

			default: {
				each(batch[index + 1] as SocketEvent);
				index += 2;
			}
		}
	}
}
