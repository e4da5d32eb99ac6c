import type {SocketEvent} from '../events.js';
import {explainer} from '../wording/explain.js';

/** Writes explainEvent lines to a stream (`--explain`), each after its time. */
export function attachExplain(bus: {subscribe: (listener: (event: SocketEvent) => void) => () => void}, stream: NodeJS.WritableStream, clock: (ts: number) => string): () => Promise<void> {
	const explain = explainer();
	const unsubscribe = bus.subscribe(event => {
		const line = explain(event);
		if (line !== undefined) {
			stream.write(`${clock(event.ts)} ${line}\n`);
		}
	});
	return async () => {
		unsubscribe();
	};
}
