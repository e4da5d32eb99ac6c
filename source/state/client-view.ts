import type {ClientState, ClientSummary, Remote, SocketEvent} from '../events.js';
import {describeTlsLines} from '../wording/tls.js';
import {clientStateText, clientSummaryText, isClientFailure} from '../wording/client-status.js';
import {TimeOrderedRing} from './ring-buffer.js';
import {StepRing} from './steps.js';
import {inboundLine, outboundLine, type TranscriptLine} from './transcript.js';

type ClientEvent = Extract<SocketEvent, {type: `client.${string}`}>;

/** The client pane's state: the connection's life and a bounded transcript. */
export class ClientView {
	id: number | undefined;
	state: ClientState | 'idle' = 'idle';
	reason: string | undefined;
	remote: Remote | undefined;
	connectMs: number | undefined;
	summary: ClientSummary | undefined;
	/** A /repeat's progress while it runs; undefined otherwise. */
	repeat: {sent: number; total: number} | undefined;
	readonly transcript: TimeOrderedRing<TranscriptLine>;
	/** Every step of the client's connections, for its timeline (a new connection starts with `connecting`). */
	readonly steps = new StepRing();

	constructor(transcriptLines: number) {
		this.transcript = new TimeOrderedRing<TranscriptLine>(transcriptLines);
	}

	apply(event: ClientEvent): void {
		this.steps.push(event);
		switch (event.type) {
			case 'client.state': {
				this.id = event.id;
				this.state = event.state;
				this.reason = event.reason;
				this.remote = event.remote;
				if (event.connectMs !== undefined) {
					this.connectMs = event.connectMs;
				}

				if (event.summary) {
					this.summary = event.summary;
				}

				this.transcript.push({ts: event.ts, direction: isClientFailure(event.state) ? 'error' : 'info', text: clientStateText(event)});
				for (const line of event.tls ? describeTlsLines(event.tls) : []) {
					this.transcript.push({ts: event.ts, direction: event.tls!.authorized ? 'info' : 'error', text: line});
				}
				if (event.summary) {
					this.transcript.push({ts: event.ts, direction: 'info', text: clientSummaryText(event.summary, 'line')});
				}

				break;
			}

			case 'client.repeat': {
				this.repeat = event.done ? undefined : {sent: event.sent, total: event.total};
				if (event.done) {
					this.transcript.push({ts: event.ts, direction: 'info', text: `/repeat ${event.stopped ? 'stopped' : 'done'}: ${event.sent} of ${event.total} sent`});
				}

				break;
			}

			case 'client.end': {
				this.transcript.push({ts: event.ts, direction: 'info', text: event.by === 'peer' ? 'the server finished sending (half-close)' : 'we finished sending (half-close)'});
				break;
			}

			case 'client.sent': {
				this.transcript.push(outboundLine(event.ts, event.text, event.base64));
				break;
			}

			case 'client.received': {
				const line = inboundLine(event);
				this.transcript.push(event.rttMs === undefined ? line : {...line, rttMs: event.rttMs});
				break;
			}
		}
	}
}
