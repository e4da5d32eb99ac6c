import type {Endpoint, SocketEvent} from '../events.js';
import {terminalSafeMessage} from '../protocol/terminal-safe.js';
import {payloadPrefix} from '../protocol/payload.js';
import {pythonBytes} from '../protocol/python-bytes.js';

/** A payload as a Python bytes literal, from its start alone (a long one is counted, not decoded). */
function python(payload: Parameters<typeof payloadPrefix>[0]): string {
	const {bytes, total} = payloadPrefix(payload, 64);
	return pythonBytes(bytes, total);
}

function address(peer: Endpoint): string {
	return `('${peer.address}', ${peer.port})`;
}

/**
 * What an event is in the tutorial's terms — the socket calls its Python programs make
 * (`s.bind`, `s.listen(5)`, `conn, addr = s.accept()`, `conn.recv(1024)`, `conn.sendall`,
 * `conn.close()`, UDP's `recvfrom`/`sendto`) — so a learner can read a live run against the
 * code. Undefined for events with no call of their own. `peerEnded`: the peer's FIN came before
 * this event (who closed first is then the peer, whatever the close's reason).
 */
export function explainEvent(event: SocketEvent, peerEnded = false, udp = false): string | undefined {
	switch (event.type) {
		case 'server.listening': {
			return `s = socket(AF_INET${event.family === 'IPv6' ? '6' : ''}, SOCK_STREAM); s.bind(('${event.host}', ${event.port})); s.listen(${event.backlog})   # up to ${event.backlog} connections wait in the kernel for accept()`;
		}

		case 'conn.open': {
			return `conn, addr = s.accept()   # #${event.id}: addr = ${address(event.peer)}; a thread (here: an event handler) per client`;
		}

		case 'conn.read': {
			return `conn.recv(1024) -> ${event.bytes} bytes   # #${event.id}: one read; TCP keeps no message boundaries`;
		}

		case 'conn.message': {
			const cut = event.partial ? 'a piece of a long line' : (event.eol === '' ? 'a tail with no line ending (delivered after a quiet while, or at the FIN)' : 'a line');
			return `    framing: ${cut}: ${python(event)}   # #${event.id}`;
		}

		case 'conn.reply': {
			return `conn.sendall(${python(event)})   # #${event.id}: ${event.kind}`;
		}

		case 'conn.end': {
			return `conn.recv(1024) -> b''   # #${event.id}: the peer closed its side (FIN)`;
		}

		case 'conn.close': {
			const first = event.reason === 'eof' || (peerEnded && event.reason !== 'reset') ? 'after the peer\'s FIN: the peer closed first' : (event.reason === 'reset' ? 'the peer reset it' : 'we closed first (our FIN went when we decided)');
			return `conn.close()   # #${event.id}: ${event.reason}: ${first}; ${event.bytesIn} bytes in, ${event.bytesOut} out`;
		}

		case 'udp.listening': {
			return `u = socket(AF_INET${event.family === 'IPv6' ? '6' : ''}, SOCK_DGRAM); u.bind(('${event.host}', ${event.port}))   # no listen(), no accept(): datagrams have no connection`;
		}

		case 'udp.datagram': {
			return `data, addr = u.recvfrom(1024) -> ${python(event)}, ${address(event.peer)}   # one datagram, whole: no rows, no connection`;
		}

		case 'udp.reply':
		case 'udp.sent': {
			return `u.sendto(${python(event)}, ${address(event.peer)})`;
		}

		case 'client.state': {
			if (event.state === 'connecting') {
				return `c = socket(AF_INET, SOCK_STREAM); c.connect(('${event.remote.host}', ${event.remote.port}))`;
			}

			return event.state === 'connected' ? `    connect() returned after ${event.connectMs ?? '?'} ms   # the three-way handshake` : `    ${event.state}${event.reason === undefined ? '' : `: ${event.reason}`}`;
		}

		case 'client.sent': {
			return `c.send(${python(event)})`;
		}

		case 'client.received': {
			return `c.recv(1024) -> ${python(event)}${event.rttMs === undefined ? '' : `   # ${event.rttMs} ms after the send`}`;
		}

		case 'client.end': {
			return event.by === 'peer' ? 'c.recv(1024) -> b\'\'   # the server closed its side (FIN)' : 'c.shutdown(SHUT_WR)   # our side is done sending';
		}

		case 'relay.listening': {
			const upstream = event.upstream.path ?? `('${event.upstream.host}', ${event.upstream.port})`;
			return event.transport === 'udp'
				? `u = socket(AF_INET, SOCK_DGRAM); u.bind(('${event.host}', ${event.port}))   # a relay: each client address gets its own socket to ${upstream}`
				: `s = socket(AF_INET, SOCK_STREAM); s.bind(('${event.host}', ${event.port})); s.listen()   # a relay: each client gets its own connection to ${upstream}`;
		}

		case 'relay.open': {
			return event.transport === 'udp'
				? `up = socket(AF_INET, SOCK_DGRAM)   # #${event.id}: a new client address ${address(event.client)}, its own upstream socket`
				: `client, addr = s.accept(); up = socket.create_connection(('${event.upstreamPeer.address}', ${event.upstreamPeer.port}))   # #${event.id}: addr = ${address(event.client)}; connected in ${event.connectMs} ms`;
		}

		case 'relay.data': {
			const bytes = event.captured === event.bytes ? python(event) : `${event.bytes} bytes`;
			if (udp) {
				// Datagrams: the clients' side is one socket, u; each client address has its own up.
				return event.from === 'client'
					? `data, addr = u.recvfrom(65536) -> ${bytes}; up.send(data)   # #${event.id}`
					: `data = up.recv(65536) -> ${bytes}; u.sendto(data, addr)   # #${event.id}`;
			}

			const [from, to] = event.from === 'client' ? ['client', 'up'] : ['up', 'client'];
			return event.injected
				? `${to}.sendall(${bytes})   # #${event.id}: typed by the operator`
				: `data = ${from}.recv(65536) -> ${bytes}; ${to}.sendall(data)   # #${event.id}`;
		}

		case 'relay.end': {
			const [from, to] = event.from === 'client' ? ['client', 'up'] : ['up', 'client'];
			return `${from}.recv(65536) -> b''; ${to}.shutdown(SHUT_WR)   # #${event.id}: its FIN, passed on`;
		}

		case 'relay.close': {
			if (udp) {
				return `up.close()   # #${event.id}: ${event.error ?? event.reason}: this client address is forgotten; ${event.bytesUp} bytes up, ${event.bytesDown} down`;
			}

			return `client.close(); up.close()   # #${event.id}: ${event.error ?? (event.reason === 'closed' ? 'both sides finished' : event.reason)}; ${event.bytesUp} bytes up, ${event.bytesDown} down`;
		}

		case 'kernel.overflow': {
			return `# the kernel: ${event.dropped} connection${event.dropped === 1 ? '' : 's'} dropped, a listen backlog was full (ListenOverflows ${event.total}, /proc/net/netstat): the SYNs waited for accept() to catch up`;
		}

		case 'kernel.time-wait': {
			return `# the kernel: #${event.id}'s connection (port ${event.localPort} ↔ ${event.peerPort}) left a socket in TIME_WAIT (/proc/net/tcp), on the end that closed first: it lingers ~60 s`;
		}

		case 'kernel.unseen': {
			return `# the kernel: ${event.reason}`;
		}

		default: {
			return undefined;
		}
	}
}

/**
 * explainEvent over a stream of events, remembering which connections' peers sent their FIN, so
 * that a close is told with who closed first.
 */
export function explainer(): (event: SocketEvent) => string | undefined {
	const ended = new Set<number>();
	let udpRelay = false;
	return event => {
		if (event.type === 'conn.end') {
			ended.add(event.id);
		}

		if (event.type === 'relay.listening') {
			udpRelay = event.transport === 'udp';
		}

		const line = explainEvent(event, event.type === 'conn.close' && ended.has(event.id), udpRelay);
		if (event.type === 'conn.close') {
			ended.delete(event.id);
		}

		// Safe for a terminal as a whole, whatever field it quotes (as describeEvent's lines).
		return line === undefined ? undefined : terminalSafeMessage(line);
	};
}
