import type {Step} from '../state/steps.js';
import {payloadPrefix} from '../protocol/payload.js';
import {terminalSafeBytes} from '../protocol/escape-bytes.js';
import {pythonBytes} from '../protocol/python-bytes.js';
import {explainEvent} from '../wording/explain.js';
import type {Arrow} from './swimlane.js';

/** What a step's row may need of the steps around it. */
export type StepContext = {
	/** The client's FIN came before this step (who closed first). */
	readonly peerEnded?: boolean;
	/** A framed tail with no line end, delivered because the FIN came right after it. */
	readonly atFin?: boolean;
	/** A relay of datagrams (relay udp://): the clients' side is one socket. */
	readonly udp?: boolean;
};

/** A timeline row's parts: the arrow in the swimlane, and what the step was. */
export type StepRow = {readonly arrow: Arrow; readonly text: string};

/** Whose timeline: a server's connection (the client on the left, us on the right), our client's, or a relay's (client ↔ upstream). */
export type TimelineSide = 'server' | 'client' | 'relay';

/** The start of a payload, quoted and terminal-safe (a long one is not decoded whole). */
const quoted = (payload: Parameters<typeof payloadPrefix>[0]): string => `"${terminalSafeBytes(payloadPrefix(payload, 60).bytes)}"`;

/** What each close reason means for who sent the first FIN (a server connection's). */
const closedBy: Record<string, string> = {
	eof: 'client closed first',
	exit: 'we closed first (exit)',
	kicked: 'we closed first (kicked)',
	shutdown: 'we closed first (shutting down)',
	idle: 'we closed first (idle)',
	limit: 'we closed first (--max-clients)',
	denied: 'we closed first (--allow)',
	'program-exit': 'we closed first (the program ended)',
};

/**
 * A step as its timeline row: who sent what to whom (the arrow, with bytes or the TCP flag) and
 * what it was — the call, how framing cut the bytes, a pause for backpressure, who half-closed,
 * the close and its reason. Undefined for a step that another row already tells (a write is
 * its reply's row). With `explain`, the text is the tutorial's socket call (wording/explain.ts)
 * where there is one.
 */
export function stepRow(step: Step, explain: boolean, context: StepContext = {}): StepRow | undefined {
	const {peerEnded = false} = context;
	const row = plainRow(step, context);
	if (!row || !explain) {
		return row;
	}

	if (step.type === 'relay.data') {
		// The step keeps the start of the text only: the call with what it kept.
		const bytes = step.preview === undefined ? `${step.bytes} bytes` : `${pythonBytes(Buffer.from(step.preview, 'utf8'))}${Buffer.byteLength(step.preview) < step.bytes ? '…' : ''}`;
		if (context.udp) {
			return {arrow: row.arrow, text: step.from === 'client' ? `data, addr = u.recvfrom(65536) -> ${bytes}; up.send(data)` : `data = up.recv(65536) -> ${bytes}; u.sendto(data, addr)`};
		}

		const [from, to] = step.from === 'client' ? ['client', 'up'] : ['up', 'client'];
		return {arrow: row.arrow, text: `data = ${from}.recv(65536) -> ${bytes}; ${to}.sendall(data)`};
	}

	if (step.type === 'conn.message') {
		// How framing cut it, as the plain row says (it knows whether the FIN came right after), in Python's bytes.
		const {bytes, total} = payloadPrefix(step, 64);
		return {arrow: row.arrow, text: `framing: ${howCut(step, context.atFin ?? false)}: ${pythonBytes(bytes, total)}`};
	}

	const call = explainEvent(step, peerEnded, context.udp ?? false);
	return call === undefined ? row : {arrow: row.arrow, text: call.trim().replace(/\s+# #\d+: /, '   # ').replace(/\s+# #\d+$/, '')};
}

/** How framing cut a message: a line (its ending when not \n), a tail delivered once quiet or as the FIN came, a piece of a long line. */
function howCut(step: Extract<Step, {type: 'conn.message'}>, atFin: boolean): string {
	if (step.partial) {
		return 'a piece of a line longer than --max-line';
	}

	if (step.eol === '') {
		return atFin ? 'a tail (no line end) at the FIN' : 'a tail (no line end) once quiet';
	}

	return `a line${step.eol === undefined ? '' : ` (ending ${JSON.stringify(step.eol)})`}`;
}

function plainRow(step: Step, {peerEnded = false, atFin = false}: StepContext): StepRow | undefined {
	switch (step.type) {
		case 'conn.open': {
			return {arrow: {to: 'server', label: 'SYN'}, text: `accept: ${step.peer.address}:${step.peer.port} → ${step.local.address}:${step.local.port}${step.tls ? `, TLS ${step.tls.protocol}` : ''}`};
		}

		case 'conn.read': {
			return {arrow: {to: 'server', bytes: step.bytes}, text: `recv: ${step.bytes} byte${step.bytes === 1 ? '' : 's'}`};
		}

		case 'conn.message': {
			return {arrow: {to: 'us'}, text: `framing: ${howCut(step, atFin)}: ${quoted(step)}`};
		}

		case 'conn.reply': {
			return {arrow: {to: 'client', bytes: payloadPrefix(step, 0).total}, text: `send ${step.kind}: ${quoted(step)}`};
		}

		case 'conn.write': {
			return undefined;
		}

		case 'conn.warning': {
			const what = step.kind === 'slow-reader' ? 'backpressure: reading paused' : (step.kind === 'resumed' ? 'backpressure over: reading again' : step.kind);
			return {arrow: {to: 'us'}, text: `${what}: ${step.detail}`};
		}

		case 'conn.end': {
			return {arrow: {to: 'server', label: 'FIN'}, text: 'the client\'s FIN: no more from it; recv() returns b\'\''};
		}

		case 'conn.close': {
			const totals = `${step.bytesIn} B in, ${step.bytesOut} out`;
			if (step.reason === 'reset') {
				return {arrow: {to: 'server', label: 'RST'}, text: `reset by the client; ${totals}`};
			}

			if (step.reason === 'error' || step.reason === 'tls-error') {
				return {arrow: {to: 'us'}, text: `closed on an error${step.error === undefined ? '' : `: ${step.error}`}; ${totals}`};
			}

			const who = peerEnded || step.reason === 'eof' ? ` (${step.reason}): client closed first` : `: ${closedBy[step.reason] ?? step.reason}`;
			return {arrow: {to: 'client', label: 'FIN'}, text: `close${who} · ${totals}`};
		}

		case 'conn.exec': {
			return {arrow: {to: 'us'}, text: `runs ${step.command} (pid ${step.pid})`};
		}

		case 'conn.exit': {
			return {arrow: {to: 'us'}, text: `the program ${step.error === undefined ? (step.signal === null ? `exited with ${step.code ?? '?'}` : `was killed by ${step.signal}`) : `could not start: ${step.error}`}`};
		}

		case 'conn.stderr': {
			return {arrow: {to: 'us'}, text: `the program's stderr: ${step.bytes} B`};
		}

		case 'kernel.time-wait': {
			return {arrow: {to: 'none'}, text: `the kernel: TIME_WAIT on the end that closed first (~60 s)`};
		}

		case 'client.state': {
			switch (step.state) {
				case 'connecting': {
					return {arrow: {to: 'server', label: 'SYN'}, text: `connect to ${step.remote.path ?? `${step.remote.host}:${step.remote.port}`}`};
				}

				case 'connected': {
					return {arrow: {to: 'client', label: 'SYN+ACK'}, text: `connected${step.connectMs === undefined ? '' : `: the handshake took ${step.connectMs} ms`}`};
				}

				case 'refused':
				case 'reset': {
					return {arrow: {to: 'client', label: 'RST'}, text: `${step.state}${step.reason === undefined ? '' : `: ${step.reason}`}`};
				}

				default: {
					return {arrow: {to: 'us'}, text: `${step.state}${step.reason === undefined ? '' : `: ${step.reason}`}`};
				}
			}
		}

		case 'client.sent': {
			return {arrow: {to: 'server', bytes: step.bytes}, text: `send: ${quoted(step)}`};
		}

		case 'client.received': {
			return {arrow: {to: 'client', bytes: step.bytes}, text: `recv: ${quoted(step)}${step.rttMs === undefined ? '' : ` (${step.rttMs} ms after the send)`}`};
		}

		case 'client.end': {
			return step.by === 'peer'
				? {arrow: {to: 'client', label: 'FIN'}, text: 'the server\'s FIN: it sends no more; recv() returns b\'\''}
				: {arrow: {to: 'server', label: 'FIN'}, text: 'we half-closed: shutdown(SHUT_WR)'};
		}

		case 'client.repeat': {
			return step.done ? {arrow: {to: 'us'}, text: `/repeat ${step.stopped ? 'stopped' : 'done'}: ${step.sent} of ${step.total}`} : undefined;
		}

		case 'relay.open': {
			return {arrow: {to: 'us'}, text: step.transport === 'udp' ? 'a new client address: its own upstream socket' : `accepted; the upstream connected in ${step.connectMs} ms`};
		}

		case 'relay.data': {
			const how = step.steered ?? (step.released === undefined ? '' : `released #${step.released}`);
			const text = step.preview === undefined ? `${step.bytes} B` : `${quoted({text: step.preview})}${Buffer.byteLength(step.preview) < step.bytes ? '…' : ''}`;
			return {arrow: {to: step.from === 'client' ? 'server' : 'client', bytes: step.bytes}, text: `${step.from === 'client' ? 'client → upstream' : 'upstream → client'}: ${text}${how === '' ? '' : ` (${how})`}`};
		}

		case 'relay.held': {
			return {arrow: {to: 'us'}, text: `held #${step.seq} from the ${step.from} (${step.bytes} B): ${quoted(step)}`};
		}

		case 'relay.drop': {
			return {arrow: {to: 'us'}, text: `dropped #${step.seq} (${step.bytes} B, never sent)`};
		}

		case 'relay.pause': {
			return {arrow: {to: 'us'}, text: `${step.from === 'client' ? 'client → upstream' : 'upstream → client'} ${step.paused ? 'paused' : 'resumed'}`};
		}

		case 'relay.blocked': {
			return {arrow: {to: 'us'}, text: step.blocked ? `backpressure: not reading the ${step.from} (${step.heldBytes} B held)` : `reading the ${step.from} again`};
		}

		case 'relay.end': {
			return {arrow: {to: step.from === 'client' ? 'server' : 'client', label: 'FIN'}, text: `the ${step.from}'s FIN: it sends no more (passed on)`};
		}

		case 'relay.close': {
			return {arrow: {to: 'us'}, text: `closed (${step.error ?? (step.reason === 'closed' ? 'both sides finished' : step.reason)}): ${step.bytesUp} B up, ${step.bytesDown} B down`};
		}

		default: {
			return undefined;
		}
	}
}
