import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {KeyReader} from '../../source/ui/keys.js';
import {atCursor, edit, emptyLine, insert} from '../../source/ui/line-editor.js';

describe('line editor', () => {
	it('keeps the cursor between graphemes whatever is typed and moved over', () => {
		const piece = fc.constantFrom('a', 'é', 'e\u0301', '😀', '👩‍👩‍👧', '🇫🇷', ' ', '.');
		const move = fc.constantFrom('left', 'right', 'home', 'end', 'word-left', 'word-right', 'backspace', 'delete', 'delete-word-back', 'rub-out-word', 'kill-to-start', 'kill-to-end') as fc.Arbitrary<Parameters<typeof edit>[1]>;
		fc.assert(fc.property(fc.array(fc.oneof(piece.map(text => ({text})), move.map(name => ({name}))), {maxLength: 40}), steps => {
			let line = emptyLine;
			for (const step of steps) {
				line = 'text' in step ? insert(line, step.text) : edit(line, step.name)!;
				const {before, under, after} = atCursor(line);
				expect(before + under + after).toBe(line.text);
				// No lone surrogate on either side of the cursor.
				expect(before).not.toMatch(/[\uD800-\uDBFF]$/);
				expect(after + under).not.toMatch(/^[\uDC00-\uDFFF]/);
			}
		}), {numRuns: 500});
	});

	it('Backspace after typing anything takes back exactly the last grapheme', () => {
		fc.assert(fc.property(fc.string(), fc.constantFrom('x', '😀', '🇫🇷', 'e\u0301', '👩‍👩‍👧'), (text, last) => {
			const typed = insert(insert(emptyLine, text), last);
			const afterBackspace = edit(typed, 'backspace')!;
			// Text that ends in a combining-able character may join with `last`: check the common case.
			if (!/(?:\p{M}|\u200D|\uFE0F)$/u.test(text) && !/\p{Regional_Indicator}$/u.test(text)) {
				expect(afterBackspace.text).toBe(text);
			}
		}));
	});
});

describe('keys', () => {
	it('takes a bracketed paste as one paste, control characters and all', () => {
		const reader = new KeyReader();
		expect([...reader.read('\u001B[200~'), ...reader.read('k\nline'), ...reader.read('\u001B[201~')]).toEqual([{kind: 'paste', text: 'k\nline'}]);
	});

	it('tells Backspace from Delete, and ignores what is not a key', () => {
		const reader = new KeyReader();
		expect(reader.read('\u007F')).toEqual([{kind: 'named', name: 'backspace'}]);
		expect(reader.read('\u001B[3~')).toEqual([{kind: 'named', name: 'delete'}]);
		for (const ignored of ['\u001B[I', '\u001B[O', '\u001BOP', '\u001B[15~', '\u001B[24;80R', '\u001B[<0;10;5M', '\u001B[2~']) {
			expect(reader.read(ignored)).toEqual([]);
		}
	});
});

describe('Esc and a key in one write (tmux send-keys Escape q)', () => {
	it('is Esc, then that key', () => {
		const reader = new KeyReader();
		expect(reader.read('\u001Bq')).toEqual([{kind: 'named', name: 'escape'}, {kind: 'text', text: 'q'}]);
		expect(reader.read('\u001B\u001B[B')).toEqual([{kind: 'named', name: 'escape'}, {kind: 'named', name: 'down'}]);
		// Alt+B/F and Alt+Backspace keep their readline meaning.
		expect(reader.read('\u001Bb')).toEqual([{kind: 'named', name: 'word-left'}]);
	});
});
