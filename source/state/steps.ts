import type {EventOf, SocketEvent} from '../events.js';
import {RingBuffer} from './ring-buffer.js';

/**
 * One step of a connection's life, for its timeline: the event itself (a relay's data without
 * its payload: the transcript keeps that). Events are immutable, so keeping one costs a slot.
 */
export type Step =
	| Extract<SocketEvent, {type: `conn.${string}` | `client.${string}` | 'kernel.time-wait'}>
	| Exclude<Extract<SocketEvent, {type: `relay.${string}`}>, EventOf<'relay.data'> | EventOf<'relay.listening'>>
	| RelayDataStep;

/** A relay.data event's facts, without the bytes: how many went which way, and how it was steered. */
export type RelayDataStep = Pick<EventOf<'relay.data'>, 'type' | 'ts' | 'id' | 'from' | 'bytes' | 'released'> & {readonly steered?: 'injected' | 'rewritten' | 'edited'};

/** Steps kept per connection (the newest; the timeline says how many earlier ones were let go). */
export const stepsKept = 300;

/** A connection's steps, oldest first, bounded. */
export class StepRing extends RingBuffer<Step> {
	constructor() {
		super(stepsKept);
	}
}

/** What a relay.data step keeps of its event. */
export function relayDataStep(event: EventOf<'relay.data'>): RelayDataStep {
	const {type, ts, id, from, bytes, released} = event;
	const steered = event.injected ? 'injected' : (event.rewritten ? 'rewritten' : (event.edited ? 'edited' : undefined));
	return {type, ts, id, from, bytes, ...(released === undefined ? {} : {released}), ...(steered === undefined ? {} : {steered})};
}
