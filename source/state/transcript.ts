/**
 * A transcript's lines: what came in, what went out, what happened. The store, the ring that keeps
 * them, the filter and the file writer all share this one definition.
 */

export type Direction = 'in' | 'out' | 'info' | 'error';

/** One line of a transcript: what came in, what went out, or what happened. */
export type TranscriptLine = {
	readonly ts: number;
	readonly direction: Direction;
	/** Raw text as received, its line ending aside (made terminal-safe only when shown). */
	readonly text: string;
	/** The exact bytes of `text` when the text is not exact (not UTF-8). */
	readonly base64?: string;
	readonly rttMs?: number;
	/** The exact line ending that followed on the wire (`\n`, `\r\n`…); absent: none. */
	readonly eol?: string;
	/** Empty lines that came just before it on the wire (exact bytes); rare. */
	readonly lead?: string;
};

/** A line's exact wire bytes: what came before it, its payload, its ending (the hex view). */
export function lineBytes(line: TranscriptLine): Buffer {
	const payload = line.base64 === undefined ? Buffer.from(line.text, 'utf8') : Buffer.from(line.base64, 'base64');
	return line.lead === undefined && line.eol === undefined ? payload : Buffer.concat([Buffer.from(line.lead ?? '', 'latin1'), payload, Buffer.from(line.eol ?? '', 'latin1')]);
}

