import type {EventBus} from '../bus.js';
import type {ClientStateChange, SocketEvent} from '../events.js';
import {formatHostPort} from '../net/address.js';
import {DropGate} from './drop-gate.js';
import {plural} from '../wording.js';

const unsafe = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Every control, C1 and bidi character as a visible \uXXXX escape: safe for any terminal. */
export function escapeControls(text: string): string {
	return text.replaceAll(unsafe, c => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** Remote text in quotes, escaped; the EOL that ends what we send is not shown. */
function quoted(text: string): string {
	const body = text.replace(/\r?\n$/, '');
	return `"${escapeControls(body.replaceAll('\\', '\\\\').replaceAll('"', '\\"'))}"`;
}

/** One human-readable line for the events a person watching a headless server cares about. */
export function describeEvent(event: SocketEvent): string | undefined {
	switch (event.type) {
		case 'server.listening': {
			const warning = event.loopback ? '' : ' (reachable from other machines)';
			return `TCP listening on ${formatHostPort(event.host, event.port)}${warning}`;
		}

		case 'udp.listening': {
			return `UDP listening on ${formatHostPort(event.host, event.port)}`;
		}

		case 'server.error':
		case 'udp.error': {
			return `error: ${event.message} — ${event.hint}`;
		}

		case 'conn.open': {
			return `#${event.id} open from ${formatHostPort(event.peer.address, event.peer.port)}`;
		}

		case 'conn.message': {
			return `#${event.id} ← ${quoted(event.text)}${event.partial ? ' (partial)' : ''}`;
		}

		case 'conn.reply': {
			return `#${event.id} → ${quoted(event.text)}`;
		}

		case 'conn.warning': {
			return `#${event.id} ! ${event.detail}`;
		}

		case 'conn.close': {
			return `#${event.id} closed (${event.reason}) after ${plural(event.messagesIn, 'message')}, ${event.bytesIn} B in, ${event.bytesOut} B out`;
		}

		case 'udp.datagram': {
			return `UDP ← ${formatHostPort(event.peer.address, event.peer.port)} ${quoted(event.text)}`;
		}

		case 'udp.reply':
		case 'udp.sent': {
			return `UDP → ${formatHostPort(event.peer.address, event.peer.port)} ${quoted(event.text)}`;
		}

		case 'server.closed':
		case 'udp.closed': {
			return `${event.type === 'server.closed' ? 'TCP' : 'UDP'} ${formatHostPort(event.host, event.port)} closed`;
		}

		case 'client.state': {
			return describeClientState(event);
		}

		case 'client.end': {
			return event.by === 'peer' ? '← end: the server finished sending (half-close)' : '→ end: we finished sending (half-close)';
		}

		case 'client.sent': {
			return `→ ${quoted(event.text)}`;
		}

		case 'client.received': {
			return `← ${quoted(event.text)}${event.rttMs === undefined ? '' : `  (${event.rttMs} ms)`}`;
		}

		default: {
			return undefined;
		}
	}
}

function describeClientState(event: ClientStateChange): string {
	const where = formatHostPort(event.remote.host, event.remote.port);
	switch (event.state) {
		case 'connecting': {
			return `connecting to ${where}…`;
		}

		case 'connected': {
			return `connected to ${where} in ${event.connectMs} ms`;
		}

		default: {
			const summary = event.summary
				? ` · ${event.summary.messagesSent} sent, ${event.summary.messagesReceived} received, ${event.summary.bytesOut} B out, ${event.summary.bytesIn} B in, ${(event.summary.durationMs / 1000).toFixed(2)} s`
				: '';
			return `${event.state}: ${event.reason ?? where}${summary}`;
		}
	}
}

/** `12:00:02.123`, local time: every transcript line says when. */
export function clock(ts: number): string {
	const date = new Date(ts);
	const two = (value: number): string => String(value).padStart(2, '0');
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Prints describeEvent lines to a stream (headless mode without --json). */
export function attachTextLog(bus: EventBus, stream: NodeJS.WritableStream): () => Promise<void> {
	const gate = new DropGate(stream, (types, count) => {
		const which = Object.entries(types).map(([type, n]) => `${type} ${n}`).join(', ');
		stream.write(`${clock(Date.now())} ! output fell behind: ${plural(count, 'event')} not shown (${which}; see --log for every event)\n`);
	});
	const unsubscribe = bus.subscribe(event => {
		const line = describeEvent(event);
		if (line !== undefined && gate.admit(event.type)) {
			stream.write(`${clock(event.ts)} ${line}\n`);
		}
	});
	return async () => {
		unsubscribe();
		gate.flushNotice();
	};
}
