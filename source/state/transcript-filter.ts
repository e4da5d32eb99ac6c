import type {TranscriptLine} from './transcript.js';

/** What a transcript shows: one direction, lines containing a text, or both. */
export type TranscriptFilter = {
	readonly direction?: 'in' | 'out';
	readonly text?: string;
};

/** `/filter [in|out] [TEXT]`'s argument; empty = show everything. */
export function parseFilter(argument: string): TranscriptFilter | undefined {
	const [first = '', ...rest] = argument.trim().split(' ');
	const direction = first === 'in' || first === 'out' ? first : undefined;
	const text = (direction ? rest.join(' ') : argument.trim()).trim();
	if (!direction && text === '') {
		return undefined;
	}

	return {...(direction ? {direction} : {}), ...(text === '' ? {} : {text})};
}

export function describeFilter(filter: TranscriptFilter): string {
	return [filter.direction, filter.text === undefined ? undefined : `"${filter.text}"`].filter(Boolean).join(' ');
}

export function matches(line: TranscriptLine, filter: TranscriptFilter): boolean {
	if (filter.direction && line.direction !== filter.direction) {
		return false;
	}

	return filter.text === undefined || line.text.toLowerCase().includes(filter.text.toLowerCase());
}
