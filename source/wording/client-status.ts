import type {ClientStateChange, ClientSummary} from '../events.js';
import {formatRemote} from '../format/host-port.js';

/**
 * How the client's life is worded, in one place for the screen's transcript and the text log:
 * `connecting to 127.0.0.1:9999…`, `connected to 127.0.0.1:9999 in 0.4 ms`, `refused: …`.
 */
export function clientStateText(event: Pick<ClientStateChange, 'state' | 'remote' | 'reason' | 'connectMs' | 'tls'>): string {
	const where = formatRemote(event.remote);
	switch (event.state) {
		case 'connecting': {
			return `connecting to ${where}…`;
		}

		case 'connected': {
			// Over TLS, connected means the handshake is done too: the time is both, as the
			// summary's `connect` is (the event's connectMs is the TCP connect alone).
			return event.tls === undefined || event.connectMs === undefined
				? `connected to ${where} in ${event.connectMs} ms`
				: `connected to ${where} in ${round(event.connectMs + event.tls.handshakeMs)} ms (TCP ${event.connectMs} ms + TLS handshake ${event.tls.handshakeMs} ms)`;
		}

		default: {
			return `${event.state}: ${event.reason ?? where}`;
		}
	}
}

/** A closing state that is a failure (shown in red, exit 1). */
export function isClientFailure(state: ClientStateChange['state']): boolean {
	return state === 'refused' || state === 'reset' || state === 'timeout' || state === 'error';
}

/**
 * A connection's totals, like `curl -w`: on a line of their own on the screen
 * (`summary: 3 sent (14 B), 4 received (39 B) in 0.0 s, connect 2.8 ms`), or after the closing
 * state in the text log (` · 3 sent, 4 received, 14 B out, 39 B in, 0.00 s`).
 */
export function clientSummaryText(summary: ClientSummary, form: 'line' | 'inline'): string {
	const {messagesSent, bytesOut, messagesReceived, bytesIn, durationMs, connectMs} = summary;
	return form === 'line'
		? `summary: ${messagesSent} sent (${bytesOut} B), ${messagesReceived} received (${bytesIn} B) in ${(durationMs / 1000).toFixed(1)} s, connect ${connectMs} ms`
		: ` · ${messagesSent} sent, ${messagesReceived} received, ${bytesOut} B out, ${bytesIn} B in, ${(durationMs / 1000).toFixed(2)} s`;
}

function round(ms: number): number {
	return Math.round(ms * 100) / 100;
}
