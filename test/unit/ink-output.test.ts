import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar} from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';

// patches/ink+6.8.0.patch gives Ink's Output a fast path: plain printable-ASCII lines skip the
// ANSI tokenizer, and rows without styles are joined as text. It must draw exactly what Ink's own
// path draws; the reference below is that path (tokenize → styled cells → string), unpatched.
type OutputInstance = {write(x: number, y: number, text: string, options: {transformers: never[]}): void; get(): {output: string}};
type OutputClass = new (options: {width: number; height: number}) => OutputInstance;
const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
const {default: Output} = await import(pathToFileURL(join(inkBuild, 'output.js')).href) as {default: OutputClass};

const width = 40;

/** One row as Ink 6.8 draws it without the patch: each write's cells laid over blank ones. */
function referenceRow(writes: ReadonlyArray<{x: number; text: string}>): string {
	const row: Array<StyledChar | undefined> = Array.from({length: width}, () => ({type: 'char', value: ' ', fullWidth: false, styles: []}));
	for (const {x, text} of writes) {
		let column = x;
		for (const char of styledCharsFromTokens(tokenize(text))) {
			row[column] = char;
			const charWidth = Math.max(1, stringWidth(char.value));
			for (let index = 1; index < charWidth; index++) {
				row[column + index] = {type: 'char', value: '', fullWidth: false, styles: char.styles};
			}

			column += charWidth;
		}
	}

	return styledCharsToString(row.filter(char => char !== undefined)).trimEnd();
}

function drawn(writes: ReadonlyArray<{x: number; text: string}>): string {
	const output = new Output({width, height: 1});
	for (const {x, text} of writes) {
		output.write(x, 0, text, {transformers: []});
	}

	return output.get().output;
}

// Plain ASCII (the fast path), SGR styles, wide and combining characters, emoji (the slow path).
const piece = fc.oneof(
	fc.string({unit: fc.integer({min: 0x20, max: 0x7E}).map(code => String.fromCodePoint(code)), maxLength: 12}),
	fc.constantFrom('\u001B[31m', '\u001B[2m', '\u001B[7m', '\u001B[39m', '\u001B[22m', '\u001B[27m', '\u001B[0m', '界', 'é', 'e\u0301', '🙂', '▸ ', '│'),
);
const text = fc.array(piece, {maxLength: 6}).map(pieces => pieces.join(''));
const write = fc.record({x: fc.nat({max: 20}), text});

describe('Ink output (patched fast path)', () => {
	it('draws any mix of plain, styled and wide text exactly as Ink does without the patch', () => {
		fc.assert(fc.property(fc.array(write, {minLength: 1, maxLength: 3}), writes => {
			expect(drawn(writes)).toBe(referenceRow(writes));
		}), {numRuns: 500});
	});

	it('draws plain rows as their text', () => {
		expect(drawn([{x: 2, text: 'PEER  STATE'}, {x: 20, text: 'LAST   '}])).toBe('  PEER  STATE       LAST');
	});
});
