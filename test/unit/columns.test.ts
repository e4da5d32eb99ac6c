import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {columns, fit} from '../../source/ui/format.js';

/** Every character of the ranges columns() counts at once, and some just outside them. */
const near = [
	...Array.from({length: 0x7F - 0x20}, (_, index) => 0x20 + index),
	0x1F, 0x7F, 0xA0, 0xAD, 0x2022, 0x2026, 0x2027, 0x23F1,
	...Array.from({length: 0x2200 - 0x2190}, (_, index) => 0x2190 + index),
	...Array.from({length: 0x2600 - 0x2500}, (_, index) => 0x2500 + index),
	0x1F600, 0x4E2D, 0x0301, 0x200D,
].map(code => String.fromCodePoint(code));

describe('columns', () => {
	it('agrees with string-width on every character of its fast path, and on strings of them and their neighbours', () => {
		for (const character of near) {
			expect([character, columns(character)]).toEqual([character, stringWidth(character)]);
		}

		fc.assert(fc.property(fc.array(fc.constantFrom(...near), {maxLength: 60}), characters => {
			const text = characters.join('');
			expect(columns(text)).toBe(stringWidth(text));
			expect(columns(fit(text, 20))).toBe(20);
		}), {numRuns: 2000});
	});
});
