import {useStdin} from 'ink';
import {useEffect, useEffectEvent} from 'react';
import {KeyReader, type Key} from './keys.js';

/**
 * Calls `onKey` for every key, in order, as each arrives — from Ink's input events (one per
 * escape sequence or run of text), read with their raw bytes (see keys.ts). The handler sees
 * the latest render's values, and it is called synchronously per key, so a key never waits for
 * a render to see what the key before it did.
 */
export function useKeys(onKey: (key: Key) => void): void {
	const {internal_eventEmitter: events, setRawMode, isRawModeSupported} = useStdin();
	const handler = useEffectEvent(onKey);

	useEffect(() => {
		if (isRawModeSupported) {
			setRawMode(true);
		}

		const reader = new KeyReader();
		const onInput = (input: string): void => {
			for (const key of reader.read(input)) {
				handler(key);
			}
		};

		events.on('input', onInput);
		return () => {
			events.off('input', onInput);
			if (isRawModeSupported) {
				setRawMode(false);
			}
		};
	}, [events, setRawMode, isRawModeSupported]);
}
