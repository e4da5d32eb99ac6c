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

/**
 * A relay.data event's facts: how many bytes went which way, how it was steered, and the start of
 * its text (`preview`, at most previewLength characters; none for bytes that are not text).
 */
export type RelayDataStep = Pick<EventOf<'relay.data'>, 'type' | 'ts' | 'id' | 'from' | 'bytes' | 'released'> & {readonly steered?: 'injected' | 'rewritten' | 'edited'; readonly preview?: string};

/** How much of a relayed read's text a step keeps. */
const previewLength = 40;

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
	const preview = event.base64 === undefined && event.captured > 0 ? event.text.slice(0, previewLength) : undefined;
	return {type, ts, id, from, bytes, ...(released === undefined ? {} : {released}), ...(steered === undefined ? {} : {steered}), ...(preview === undefined ? {} : {preview})};
}
