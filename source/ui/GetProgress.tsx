import {Text} from 'ink';
import React from 'react';
import {count} from './format.js';

type Props = {
	readonly url: string;
	readonly bytes: number;
	/** From Content-Length, when the server said. */
	readonly total: number | undefined;
	readonly elapsedMs: number;
};

/** Binary units, named as such (KiB, MiB, GiB: powers of 1024). */
function size(bytes: number): string {
	if (bytes < 1024) {
		return `${Math.round(bytes)} B`;
	}

	const units = ['KiB', 'MiB', 'GiB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	return `${value.toFixed(1)} ${units[unit]!}`;
}

/** One line: bytes so far, rate, and the percentage when the length is known. */
export function GetProgress({url, bytes, total, elapsedMs}: Props) {
	const rate = elapsedMs > 0 ? (bytes / elapsedMs) * 1000 : 0;
	const percent = total ? ` ${Math.floor((bytes / total) * 100)}% of ${size(total)}` : '';
	return (
		<Text wrap="truncate">
			<Text color="cyan">↓ </Text>
			{size(bytes)}{percent} · {size(rate)}/s · {count(Math.round(elapsedMs / 100) / 10)} s <Text dimColor>{url}</Text>
		</Text>
	);
}
