import {useEffect, useState} from 'react';

/**
 * The time by `clock` (the store's: the wall clock live, the log's position in a replay), read
 * at every render, with a render at least every `intervalMs` (for "connected for" and rates).
 */
export function useNow(clock: () => number, intervalMs = 1000): number {
	const [, setTick] = useState(0);
	useEffect(() => {
		const timer = setInterval(() => {
			setTick(tick => tick + 1);
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [intervalMs]);
	return clock();
}
