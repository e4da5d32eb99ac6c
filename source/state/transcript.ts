import {lineEndingLength} from '../protocol/line-ending.js';
import {payloadPrefix} from '../protocol/payload.js';

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
	/** What happened to it on the way (a relay's `rewritten`, `edited`, `injected`, `released #3`). */
	readonly mark?: string;
};

/** The start of a line's wire bytes (at most `max`), and how many it has in all: for a long line, without decoding it all. */
export function lineBytesPrefix(line: TranscriptLine, max: number): {readonly bytes: Buffer; readonly total: number} {
	const lead = Buffer.from(line.lead ?? '', 'latin1');
	const eol = Buffer.from(line.eol ?? '', 'latin1');
	const payload = payloadPrefix(line.base64 === undefined ? {text: line.text} : {text: line.text, base64: line.base64}, max);
	return {bytes: Buffer.concat([lead, payload.bytes, payload.total <= max ? eol : Buffer.alloc(0)]).subarray(0, max), total: lead.length + payload.total + eol.length};
}

/** A line's exact wire bytes: what came before it, its payload, its ending (the hex view). */
export function lineBytes(line: TranscriptLine): Buffer {
	const payload = line.base64 === undefined ? Buffer.from(line.text, 'utf8') : Buffer.from(line.base64, 'base64');
	return line.lead === undefined && line.eol === undefined ? payload : Buffer.concat([Buffer.from(line.lead ?? '', 'latin1'), payload, Buffer.from(line.eol ?? '', 'latin1')]);
}


const lf = '\n';

/** A framed message as a transcript line: its text, and the ending and blank lines it had. */
export function inboundLine(event: {readonly ts: number; readonly text: string; readonly base64?: string; readonly eol?: string; readonly skipped?: string}): TranscriptLine {
	const eol = event.eol ?? lf;
	const line: TranscriptLine = event.base64 === undefined ? {ts: event.ts, direction: 'in', text: event.text, eol} : {ts: event.ts, direction: 'in', text: event.text, base64: event.base64, eol};
	return event.skipped === undefined ? line : {...line, lead: event.skipped};
}

/** What we sent as a transcript line: its text without the line ending, which is kept apart. */
export function outboundLine(ts: number, text: string, base64: string | undefined): TranscriptLine {
	if (base64 !== undefined) {
		const bytes = Buffer.from(base64, 'base64');
		const ending = lineEndingLength(bytes);
		const body = bytes.subarray(0, bytes.length - ending);
		const eol = ending === 0 ? undefined : bytes.toString('latin1', bytes.length - ending);
		const line: TranscriptLine = {ts, direction: 'out', text: body.toString('utf8'), base64: body.toString('base64')};
		return eol === undefined ? line : {...line, eol};
	}

	const ending = text.endsWith('\r\n') ? 2 : (text.endsWith('\n') || text.endsWith('\r') ? 1 : 0);
	return ending === 0 ? {ts, direction: 'out', text} : {ts, direction: 'out', text: text.slice(0, -ending), eol: ending === 1 && text.endsWith(lf) ? lf : text.slice(-ending)};
}
