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

function size(bytes: number): string {
	return bytes < 1024 ? `${bytes} B` : (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
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
