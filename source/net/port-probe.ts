import {connect} from 'node:net';
import {explainConnectError} from './errors.js';

/** What one port said to a connection attempt. */
export type PortProbe = {
	readonly host: string;
	readonly port: number;
	/** The handshake completed: something listens there. */
	readonly open: boolean;
	/** Milliseconds from the attempt to its answer (the handshake time when open). */
	readonly ms: number;
	/** Why not open: refused, no answer within the timeout, unreachable… */
	readonly reason?: string;
};

/** Attempts in flight at once: enough for a range, few enough not to look like a flood. */
const parallel = 32;

/**
 * nc -z: a TCP handshake with each port, closed at once, nothing sent. Results come to
 * `onResult` in port order (an attempt that answers early waits for those before it). An abort
 * stops starting new attempts.
 */
export async function probePorts(host: string, ports: readonly number[], timeoutMs: number, signal: AbortSignal | undefined, onResult: (probe: PortProbe) => void): Promise<PortProbe[]> {
	const results: Array<PortProbe | undefined> = Array.from({length: ports.length});
	let next = 0;
	let reported = 0;
	const report = (): void => {
		while (reported < results.length && results[reported] !== undefined) {
			onResult(results[reported]!);
			reported++;
		}
	};

	const worker = async (): Promise<void> => {
		while (next < ports.length && !signal?.aborted) {
			const index = next++;
			results[index] = await probe(host, ports[index]!, timeoutMs);
			report();
		}
	};

	await Promise.all(Array.from({length: Math.min(parallel, ports.length)}, async () => worker()));
	return results.filter(probe => probe !== undefined);
}

async function probe(host: string, port: number, timeoutMs: number): Promise<PortProbe> {
	const started = performance.now();
	const elapsed = (): number => Math.round((performance.now() - started) * 100) / 100;
	return new Promise(resolve => {
		const socket = connect({host, port, timeout: timeoutMs});
		socket.once('connect', () => {
			const ms = elapsed();
			socket.destroy();
			resolve({host, port, open: true, ms});
		});
		socket.once('timeout', () => {
			socket.destroy();
			resolve({host, port, open: false, ms: elapsed(), reason: `no answer within ${timeoutMs} ms`});
		});
		socket.once('error', error => {
			const code = (error as NodeJS.ErrnoException).code;
			resolve({host, port, open: false, ms: elapsed(), reason: code === 'ECONNREFUSED' ? 'refused' : explainConnectError(error, host, port).message});
		});
	});
}
