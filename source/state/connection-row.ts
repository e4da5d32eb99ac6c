import type {StepRing} from './steps.js';
import type {TranscriptRing} from './transcript-ring.js';
import type {TranscriptLine} from './transcript.js';

/**
 * One row of the server pane: a connection to our server, or (relay) a client relayed to the
 * upstream. For a relay, `in` is client → upstream (up) and `out` upstream → client (down).
 */
export type ConnectionRow = {
	readonly id: number;
	readonly peer: string;
	state: 'open' | 'closed';
	readonly openedAt: number;
	closedAt: number | undefined;
	reason: string | undefined;
	messagesIn: number;
	messagesOut: number;
	bytesIn: number;
	bytesOut: number;
	last: TranscriptLine | undefined;
	warning: string | undefined;
	readonly transcript: TranscriptRing;
	/** Every step of its life (reads, writes, framing, half-closes…), for its timeline. */
	readonly steps: StepRing;
	/** A relayed connection's steering state; undefined for the server's own connections. */
	readonly relay?: RelayRowState;
};

/** A message held in a paused direction, as the screen shows it until released or dropped. */
export type HeldLine = TranscriptLine & {readonly seq: number; readonly bytes: number};

export type RelayRowState = {
	/** UDP: each datagram is one line, never joined or split. */
	readonly datagrams: boolean;
	/** Paused directions: what arrives there is held. */
	readonly paused: {up: boolean; down: boolean};
	/** Held messages, oldest first, both directions (`direction` in: up, out: down). */
	readonly held: HeldLine[];
	heldBytes: number;
	/** The relay stopped reading a side (held bytes at --max-held). */
	blocked: {up: boolean; down: boolean};
	/** A direction whose sender finished (its FIN, passed on). */
	readonly ended: {up: boolean; down: boolean};
	/** The line ending last seen each way: what an injected line ends with. */
	readonly eol: {up: string; down: string};
	/** Text of a line not finished yet, per direction, shown once finished or quiet. */
	readonly tails: {up: PendingTail | undefined; down: PendingTail | undefined};
};

/** `ts`: when its first byte came; `last`: when its latest did. */
export type PendingTail = {readonly ts: number; readonly last: number; readonly text: string};

export function newRelayRowState(datagrams = false): RelayRowState {
	return {datagrams, paused: {up: false, down: false}, held: [], heldBytes: 0, blocked: {up: false, down: false}, ended: {up: false, down: false}, eol: {up: '\n', down: '\n'}, tails: {up: undefined, down: undefined}};
}
