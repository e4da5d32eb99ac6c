import {writeFileSync} from 'node:fs';
import {clock} from '../format/clock.js';
import type {BoundedRing} from './bounded-ring.js';
import type {TranscriptLine} from './transcript.js';

const chatArrows = {in: '<', out: '>', info: '*', error: '!'} as const;
/** A relay's: `^` client → upstream, `v` upstream → client (ASCII, as the rest of the file). */
const relayArrows = {in: '^', out: 'v', info: '*', error: '!'} as const;

/**
 * Writes a transcript to FILE: NDJSON with the exact bytes (base64 where the text is lossy)
 * when the name ends in .ndjson or .jsonl, otherwise text lines `time > text`. Returns how
 * many lines were written.
 */
export function saveTranscript(file: string, lines: BoundedRing<TranscriptLine>, relay = false): number {
	const arrows = relay ? relayArrows : chatArrows;
	const all = lines.slice(0, lines.length);
	const json = /\.(nd)?jsonl?$/i.test(file);
	const body = all
		.map(line => (json ? JSON.stringify(line) : `${new Date(line.ts).toISOString().slice(0, 10)} ${clock(line.ts)} ${arrows[line.direction]} ${line.text}${line.rttMs === undefined ? '' : `  (${line.rttMs} ms)`}${line.mark === undefined ? '' : `  [${line.mark}]`}`))
		.join('\n');
	writeFileSync(file, all.length === 0 ? '' : body + '\n');
	return all.length;
}
