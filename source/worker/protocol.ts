import type {EngineParts} from '../engine.js';
import type {EngineControl} from '../engine-control.js';
import type {Packed} from './event-codec.js';
import type {Explained} from '../net/errors.js';
import type {Flags} from '../commands/flags.js';

/** What the engine thread is started with: the flags as typed (a Config holds functions). */
export type WorkerInput = {
	readonly flags: Flags;
	readonly parts: EngineParts;
};

/** The EngineControl calls that cross to the engine thread (all but bus and stop). */
export type CallName = Exclude<keyof EngineControl, 'bus' | 'stop'>;

export type ToWorker =
	| {readonly kind: 'call'; readonly id: number; readonly name: CallName; readonly args: readonly unknown[]}
	| {readonly kind: 'stop'};

export type FromWorker =
	/** The engines' events since the last batch, in order: one message per turn of its loop. */
	| {readonly kind: 'events'; readonly events: Packed}
	| {readonly kind: 'started'}
	/** A bind failed (port in use…): explained, as the CLI prints it. */
	| {readonly kind: 'failed'; readonly explained: Explained | undefined; readonly message: string}
	| {readonly kind: 'result'; readonly id: number; readonly value?: unknown; readonly error?: string}
	| {readonly kind: 'stopped'};
