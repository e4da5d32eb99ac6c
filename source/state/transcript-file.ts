import {writeFileSync} from 'node:fs';
import {clock} from '../format/clock.js';
import type {BoundedRing} from './bounded-ring.js';
import type {TranscriptLine} from './transcript.js';

const arrows = {in: '<', out: '>', info: '*', error: '!'} as const;

/**
 * Writes a transcript to FILE: NDJSON with the exact bytes (base64 where the text is lossy)
 * when the name ends in .ndjson or .jsonl, otherwise text lines `time > text`. Returns how
 * many lines were written.
 */
export function saveTranscript(file: string, lines: BoundedRing<TranscriptLine>): number {
	const all = lines.slice(0, lines.length);
	const json = /\.(nd)?jsonl?$/i.test(file);
	const body = all
		.map(line => (json ? JSON.stringify(line) : `${new Date(line.ts).toISOString().slice(0, 10)} ${clock(line.ts)} ${arrows[line.direction]} ${line.text}${line.rttMs === undefined ? '' : `  (${line.rttMs} ms)`}`))
		.join('\n');
	writeFileSync(file, all.length === 0 ? '' : body + '\n');
	return all.length;
}
