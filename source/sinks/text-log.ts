import type {EventBus} from '../bus.js';
import type {ClientStateChange, EventOf, SocketEvent} from '../events.js';
import {describeTls} from '../wording/tls.js';
import {clock} from '../format/clock.js';
import {terminalSafeBytes} from '../protocol/escape-bytes.js';
import {withoutLineEnding} from '../protocol/line-ending.js';
import {terminalSafe, terminalSafeMessage} from '../protocol/terminal-safe.js';
import {formatHostPort, formatRemote} from '../format/host-port.js';
import {DropGate} from './drop-gate.js';
import {plural} from '../format/plural.js';
import {clientStateText, clientSummaryText} from '../wording/client-status.js';

/**
 * Remote bytes in quotes, terminal-safe (the one escaper: protocol/terminal-safe.ts; bytes that are
 * not UTF-8 as \xNN); the line ending that ends what was sent is not shown.
 */
function quoted(text: string, base64?: string, stripEnding = true): string {
	const shown = base64 === undefined
		? terminalSafe(stripEnding ? text.replace(/\r?\n$/, '') : text)
		: terminalSafeBytes(stripEnding ? withoutLineEnding(Buffer.from(base64, 'base64')) : Buffer.from(base64, 'base64'));
	return `"${shown.replaceAll('"', '\\"')}"`;
}

/** How much of each relayed read the text log shows (bytes, or characters of valid text). */
const shownBytes = 160;

/** How a connection's program ended: `exited with code 0`, `killed by SIGTERM`, `could not start: …`. */
function exitText(event: EventOf<'conn.exit'>): string {
	if (event.error !== undefined) {
		return `could not start: ${event.error}`;
	}

	return event.signal === null ? `exited with code ${event.code ?? '?'}` : `killed by ${event.signal}`;
}

/** What the operator or a rule did to a relayed message, as the transcript marks it. */
function relayMark(event: EventOf<'relay.data'>): string {
	if (event.injected) {
		return ' (injected)';
	}

	if (event.rewritten) {
		return ` (rewritten by ${event.rewritten.rule}; was ${quoted(event.rewritten.text.slice(0, shownBytes), event.rewritten.base64, false)})`;
	}

	if (event.notRewritten) {
		return event.notRewritten.work
			? ` (not rewritten: the rules up to ${event.notRewritten.rule} would read it over and over, each on the last one's output; sent as it came)`
			: ` (not rewritten: ${event.notRewritten.rule} would make it larger than ${size(event.notRewritten.maxBytes)} (--max-held); sent as it came)`;
	}

	if (event.edited) {
		return ` (held #${event.released!}, edited)`;
	}

	return event.released === undefined ? '' : ` (held #${event.released}, released)`;
}

/**
 * One human-readable line for the events a person watching a headless server cares about, safe
 * for a terminal as a whole: whatever field it quotes (a peer's bytes, an address from a log, a
 * certificate's subject, a server's error text), no character in it can act on the terminal.
 */
export function describeEvent(event: SocketEvent): string | undefined {
	const line = describeUnescaped(event);
	return line === undefined ? undefined : terminalSafeMessage(line);
}

function describeUnescaped(event: SocketEvent): string | undefined {
	switch (event.type) {
		case 'server.listening': {
			if (event.path !== undefined) {
				return `listening on ${event.host}${event.replacedStale ? ' (a stale socket file of a dead server was replaced)' : ''}`;
			}

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
			return `#${event.id} open from ${event.peer.address.startsWith('unix#') ? event.peer.address : formatHostPort(event.peer.address, event.peer.port)}${event.tls ? ` · ${event.tls.protocol} ${event.tls.cipher}` : ''}`;
		}

		case 'server.exec': {
			return `each connection runs ${event.shell ? '/bin/sh -c ' : ''}${event.command}: its stdin and stdout are the connection${event.loopback ? '' : ' — reachable beyond this machine, limited by --allow'}`;
		}

		case 'conn.exec': {
			return `#${event.id} runs ${event.command} (pid ${event.pid})`;
		}

		case 'conn.exit': {
			return `#${event.id} program ${exitText(event)}`;
		}

		case 'conn.stderr': {
			return `#${event.id} stderr ${quoted(event.text, event.base64)}`;
		}

		case 'server.tls': {
			return `TLS with ${event.generated ? 'a self-signed certificate made now' : 'the certificate of --cert'}: ${event.subject}, valid until ${event.validTo}, SHA-256 ${event.fingerprint256}`;
		}

		case 'conn.message': {
			return `#${event.id} ← ${quoted(event.text, event.base64)}${event.partial ? ' (partial)' : ''}`;
		}

		case 'conn.reply': {
			return `#${event.id} → ${quoted(event.text, event.base64)}`;
		}

		case 'conn.warning': {
			return `#${event.id} ! ${event.detail}`;
		}

		case 'conn.close': {
			return `#${event.id} closed (${event.reason}) after ${plural(event.messagesIn, 'message')}, ${size(event.bytesIn)} in, ${size(event.bytesOut)} out`;
		}

		case 'udp.datagram': {
			return `UDP ← ${formatHostPort(event.peer.address, event.peer.port)} ${quoted(event.text, event.base64)}`;
		}

		case 'udp.reply':
		case 'udp.sent': {
			return `UDP → ${formatHostPort(event.peer.address, event.peer.port)} ${quoted(event.text, event.base64)}`;
		}

		case 'server.closed':
		case 'udp.closed': {
			return event.host.startsWith('unix:') ? `${event.host} closed` : `${event.type === 'server.closed' ? 'TCP' : 'UDP'} ${formatHostPort(event.host, event.port)} closed`;
		}

		case 'client.state': {
			return describeClientState(event);
		}

		case 'relay.listening': {
			const udp = event.transport === 'udp' ? 'udp://' : '';
			const scheme = event.transport === undefined ? '' : `${event.transport}://`;
			return `relay listening on ${udp}${formatHostPort(event.host, event.port)} → ${scheme}${formatRemote(event.upstream)}${event.loopback ? '' : ' (reachable from other machines)'}`;
		}

		case 'relay.open': {
			const pair = `#${event.id} ${formatHostPort(event.client.address, event.client.port)} → ${event.upstream.path === undefined ? formatHostPort(event.upstreamPeer.address, event.upstreamPeer.port) : formatRemote(event.upstream)}`;
			if (event.transport === 'udp') {
				return `${pair}: a new client address, with an upstream socket of its own`;
			}

			return event.tls ? `${pair} connected in ${event.connectMs} ms · ${describeTls(event.tls)}` : `${pair} connected in ${event.connectMs} ms`;
		}

		case 'relay.data': {
			// → client to upstream, ← upstream to client, as the transcripts show.
			const arrow = event.from === 'client' ? '→' : '←';
			// A person reads the start of each read; every byte is in --json and --log.
			const head = event.base64 === undefined ? {text: event.text.slice(0, shownBytes)} : {text: '', base64: Buffer.from(event.base64, 'base64').subarray(0, shownBytes).toString('base64')};
			const cut = event.captured > shownBytes || event.captured < event.bytes;
			const shown = event.captured === 0 ? '' : ` ${quoted(head.text, head.base64, false)}${cut ? ' …' : ''}`;
			return `#${event.id} ${arrow} ${plural(event.bytes, 'byte')}${shown}${relayMark(event)}`;
		}

		case 'relay.held': {
			return `#${event.id} ${event.from === 'client' ? '→' : '←'} held #${event.seq}: ${plural(event.bytes, 'byte')} ${quoted(event.text.slice(0, shownBytes), event.base64)}`;
		}

		case 'relay.drop': {
			return `#${event.id} ${event.from === 'client' ? '→' : '←'} dropped held #${event.seq} (${plural(event.bytes, 'byte')}, never sent)`;
		}

		case 'relay.pause': {
			return `#${event.id} ${event.from === 'client' ? '→ client to upstream' : '← upstream to client'} ${event.paused ? 'paused: what arrives is held' : 'resumed'}`;
		}

		case 'relay.blocked': {
			return event.blocked
				? `#${event.id} ${event.from === 'client' ? '→' : '←'} ${event.heldBytes} B held (limit ${event.limit}): not reading the ${event.from} until some are released`
				: `#${event.id} ${event.from === 'client' ? '→' : '←'} reading the ${event.from} again`;
		}

		case 'relay.end': {
			return `#${event.id} ${event.from === 'client' ? '→ end: the client' : '← end: the upstream'} finished sending (half-close, passed on)`;
		}

		case 'relay.close': {
			const where = event.client ? ` ${formatHostPort(event.client.address, event.client.port)}` : '';
			return `#${event.id}${where} closed (${event.reason}${event.error === undefined ? '' : `: ${event.error}`}) · ${size(event.bytesUp)} up, ${size(event.bytesDown)} down, ${(event.durationMs / 1000).toFixed(2)} s`;
		}

		case 'client.end': {
			return event.by === 'peer' ? '← end: the server finished sending (half-close)' : '→ end: we finished sending (half-close)';
		}

		case 'client.sent': {
			return `→ ${quoted(event.text, event.base64)}`;
		}

		case 'client.received': {
			return `← ${quoted(event.text, event.base64)}${event.rttMs === undefined ? '' : `  (${event.rttMs} ms)`}`;
		}

		default: {
			return undefined;
		}
	}
}

function describeClientState(event: ClientStateChange): string {
	return clientStateText(event) + (event.tls ? ` · ${describeTls(event.tls)}` : '') + (event.state !== 'connecting' && event.state !== 'connected' && event.summary ? clientSummaryText(event.summary, 'inline') : '');
}

/** Prints describeEvent lines to a stream (headless mode without --json). */
export function attachTextLog(bus: EventBus, stream: NodeJS.WritableStream): () => Promise<void> {
	const gate = new DropGate(stream, (types, count) => {
		const which = Object.entries(types).map(([type, n]) => `${type} ${n}`).join(', ');
		stream.write(`${clock(Date.now())} ! output fell behind: ${plural(count, 'event')} not shown (${which}; see --log for every event)\n`);
	});
	const unsubscribe = bus.subscribe(event => {
		// A listener that could not start: the command says so on stderr as it exits (run.ts), once.
		if (event.type === 'server.error') {
			return;
		}

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

/** A byte count in a summary: `65,536 B`, grouped as the per-read lines' `65,536 bytes` are. */
function size(bytes: number): string {
	return `${bytes.toLocaleString('en-US')} B`;
}
