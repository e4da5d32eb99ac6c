import {performance} from 'node:perf_hooks';

/**
 * Returns a meter: each call tells how much of the time since the previous call the event loop
 * spent working (0 idle … 1 never idle). The store uses it to give way to traffic.
 */
export function loopLoadMeter(): () => number {
	let last = performance.eventLoopUtilization();
	return () => {
		const now = performance.eventLoopUtilization();
		const {utilization} = performance.eventLoopUtilization(now, last);
		last = now;
		return utilization;
	};
}
