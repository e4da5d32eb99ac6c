import {count} from './format.js';

/**
 * One step's arrow between the two lanes of a timeline — the client on the left, the server (or
 * a relay's upstream) on the right: bytes or a TCP flag (SYN, FIN, RST) going to one side, or a
 * step of one end alone (`us`: the end whose timeline it is; `none`: neither).
 */
export type Arrow = {readonly to: 'server' | 'client' | 'us' | 'none'; readonly bytes?: number; readonly label?: string};

/** Columns a lane pair takes: `│────7 B────▶│`. */
export const laneWidth = 13;

/** `7 B`, `1.2kB`, `64kB`, `3.1MB`: a byte count in at most 5 columns. */
export function shortBytes(bytes: number): string {
	return bytes < 1000 ? `${bytes} B` : `${count(bytes)}B`;
}

/**
 * The lanes for one step, `laneWidth` columns: `│──7 B───▶│` toward the server, `│◀──FIN───│`
 * toward the client, `│        •│` a step of the server's alone (`•` on the left: the
 * client's; in the middle: a relay's).
 */
export function lane(arrow: Arrow, us: 'client' | 'server' | 'relay'): string {
	const inner = laneWidth - 2;
	if (arrow.to === 'us' || arrow.to === 'none') {
		const at = arrow.to === 'none' ? -1 : (us === 'client' ? 0 : (us === 'server' ? inner - 1 : Math.floor(inner / 2)));
		return `│${Array.from({length: inner}, (_, index) => (index === at ? '•' : ' ')).join('')}│`;
	}

	const label = (arrow.label ?? (arrow.bytes === undefined ? '' : shortBytes(arrow.bytes))).slice(0, inner - 3);
	const dashes = inner - 1 - label.length;
	const before = Math.ceil(dashes / 2);
	const body = `${'─'.repeat(before)}${label}${'─'.repeat(dashes - before)}`;
	return arrow.to === 'server' ? `│${body}▶│` : `│◀${body}│`;
}
