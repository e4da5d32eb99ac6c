import type {KeyName} from './keys.js';

/**
 * One line of text being typed, and where the cursor is (an index into `text` that always sits
 * between two graphemes: an emoji, a flag or a letter with its accents is one step).
 */
export type LineEditor = {
	readonly text: string;
	readonly cursor: number;
};

export const emptyLine: LineEditor = {text: '', cursor: 0};

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** The grapheme boundaries of `text`, 0 and text.length included. */
function boundaries(text: string): number[] {
	const points = [0];
	for (const {index, segment} of graphemes.segment(text)) {
		points.push(index + segment.length);
	}

	return points;
}

function previousBoundary(text: string, cursor: number): number {
	let previous = 0;
	for (const point of boundaries(text)) {
		if (point >= cursor) {
			break;
		}

		previous = point;
	}

	return previous;
}

function nextBoundary(text: string, cursor: number): number {
	return boundaries(text).find(point => point > cursor) ?? text.length;
}

const isSpace = (character: string | undefined): boolean => character !== undefined && /\s/u.test(character);
const isWordCharacter = (character: string | undefined): boolean => character !== undefined && /[\p{L}\p{N}_]/u.test(character);

/** Readline's backward-word: to the start of the word before the cursor. */
function wordStartBefore(text: string, cursor: number): number {
	let index = cursor;
	while (index > 0 && !isWordCharacter(text[index - 1])) {
		index--;
	}

	while (index > 0 && isWordCharacter(text[index - 1])) {
		index--;
	}

	return index;
}

/** Readline's forward-word: to the end of the word after the cursor. */
function wordEndAfter(text: string, cursor: number): number {
	let index = cursor;
	while (index < text.length && !isWordCharacter(text[index])) {
		index++;
	}

	while (index < text.length && isWordCharacter(text[index])) {
		index++;
	}

	return index;
}

/** Ctrl+W (unix-word-rubout): back over spaces, then to the previous space. */
function rubOutStart(text: string, cursor: number): number {
	let index = cursor;
	while (index > 0 && isSpace(text[index - 1])) {
		index--;
	}

	while (index > 0 && !isSpace(text[index - 1])) {
		index--;
	}

	return index;
}

/** Types `text` at the cursor. */
export function insert(line: LineEditor, text: string): LineEditor {
	return {text: line.text.slice(0, line.cursor) + text + line.text.slice(line.cursor), cursor: line.cursor + text.length};
}

function cut(line: LineEditor, from: number, to: number): LineEditor {
	return {text: line.text.slice(0, from) + line.text.slice(to), cursor: from};
}

/**
 * What an editing key does, as a shell's line editor (readline/emacs bindings) does it;
 * undefined for a key that is not an editing key.
 */
export function edit(line: LineEditor, key: KeyName): LineEditor | undefined {
	const {text, cursor} = line;
	switch (key) {
		case 'backspace': {
			return cursor === 0 ? line : cut(line, previousBoundary(text, cursor), cursor);
		}

		case 'delete': {
			return cursor === text.length ? line : cut(line, cursor, nextBoundary(text, cursor));
		}

		case 'left': {
			return {text, cursor: previousBoundary(text, cursor)};
		}

		case 'right': {
			return {text, cursor: nextBoundary(text, cursor)};
		}

		case 'home': {
			return {text, cursor: 0};
		}

		case 'end': {
			return {text, cursor: text.length};
		}

		case 'word-left': {
			return {text, cursor: wordStartBefore(text, cursor)};
		}

		case 'word-right': {
			return {text, cursor: wordEndAfter(text, cursor)};
		}

		case 'delete-word-back': {
			// Alt+Backspace (backward-kill-word): back to the start of a word.
			return cut(line, wordStartBefore(text, cursor), cursor);
		}

		case 'rub-out-word': {
			// Ctrl+W (unix-word-rubout): back to the previous space.
			return cut(line, rubOutStart(text, cursor), cursor);
		}

		case 'kill-to-start': {
			return cut(line, 0, cursor);
		}

		case 'kill-to-end': {
			return {text: text.slice(0, cursor), cursor};
		}

		default: {
			return undefined;
		}
	}
}

/** The line split at the cursor, for drawing: before, the grapheme under the cursor, after. */
export function atCursor(line: LineEditor): {before: string; under: string; after: string} {
	const end = nextBoundary(line.text, line.cursor);
	return {before: line.text.slice(0, line.cursor), under: line.text.slice(line.cursor, end), after: line.text.slice(end)};
}
