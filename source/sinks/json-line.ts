import type {Endpoint, ReplyKind, SocketEvent} from '../events.js';
import {terminalSafeJson} from '../protocol/terminal-safe.js';

/**
 * One event as an NDJSON line, byte for byte what `JSON.stringify(event) + '\n'` gives.
 *
 * The four events of every message (read, message, reply, write), a datagram and its reply, and
 * a relay's plain relay.data are written from a template:
 * their keys and order are fixed by the publishers, and only the payload text needs escaping.
 * That is a few times cheaper than the generic walk, and the sink runs four times per message.
 * Anything else, or a hot event with an optional field set, goes through JSON.stringify.
 */
export function jsonLine(event: SocketEvent): string {
	// Safe for a terminal (`--json` on one, `tail -f` of a log): C1 and bidi characters escaped.
	return terminalSafeJson(unescapedLine(event));
}

function unescapedLine(event: SocketEvent): string {
	switch (event.type) {
		case 'conn.read':
		case 'conn.write': {
			return `{"type":"${event.type}","ts":${event.ts},"id":${event.id},"bytes":${event.bytes}}\n`;
		}

		case 'conn.message': {
			if (event.partial === undefined && event.base64 === undefined && event.eol === undefined && event.skipped === undefined) {
				return `{"type":"conn.message","ts":${event.ts},"id":${event.id},"text":${JSON.stringify(event.text)}}\n`;
			}

			break;
		}

		case 'conn.reply': {
			if (event.base64 === undefined && replyKinds.has(event.kind)) {
				return `{"type":"conn.reply","ts":${event.ts},"id":${event.id},"kind":"${event.kind}","text":${JSON.stringify(event.text)}}\n`;
			}

			break;
		}

		case 'udp.datagram':
		case 'udp.reply': {
			if (event.base64 === undefined && (event.type === 'udp.reply' || event.denied === undefined)) {
				return `{"type":"${event.type}","ts":${event.ts},"peer":${peerJson(event.peer)},"bytes":${event.bytes},"text":${JSON.stringify(event.text)}}\n`;
			}

			break;
		}

		case 'relay.data': {
			// Only the plain form (type, ts, id, from, bytes, captured, text): any optional field, one
			// added later too, goes through JSON.stringify.
			if (event.base64 === undefined && Object.keys(event).length === 7 && (event.from === 'client' || event.from === 'upstream')) {
				return `{"type":"relay.data","ts":${event.ts},"id":${event.id},"from":"${event.from}","bytes":${event.bytes},"captured":${event.captured},"text":${JSON.stringify(event.text)}}\n`;
			}

			break;
		}

		default: {
			break;
		}
	}

	return JSON.stringify(event) + '\n';
}

/** An endpoint as JSON.stringify writes it (its keys in the order `endpoint()` makes them). */
export function peerJson({address, port, family}: Endpoint): string {
	return `{"address":${JSON.stringify(address)},"port":${port},"family":${family === 'IPv4' || family === 'IPv6' ? `"${family}"` : JSON.stringify(family)}}`;
}

// The templates write these words as they are: anything else (a hand-made log's) goes through
// JSON.stringify, which escapes it.
const replyKinds: ReadonlySet<string> = new Set<ReplyKind>(['welcome', 'reply', 'notice', 'operator', 'chat', 'program']);
