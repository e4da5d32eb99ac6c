import type {SocketEvent} from '../events.js';
import {explainEvent} from '../wording/explain.js';

/** Writes explainEvent lines to a stream (`--explain`), each after its time. */
export function attachExplain(bus: {subscribe: (listener: (event: SocketEvent) => void) => () => void}, stream: NodeJS.WritableStream, clock: (ts: number) => string): () => Promise<void> {
	const unsubscribe = bus.subscribe(event => {
		const line = explainEvent(event);
		if (line !== undefined) {
			stream.write(`${clock(event.ts)} ${line}\n`);
		}
	});
	return async () => {
		unsubscribe();
	};
}
