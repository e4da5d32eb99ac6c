import unicode11 from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {terminalSafe, terminalSafeMessage} from '../../source/protocol/terminal-safe.js';
import {columns} from '../../source/ui/format.js';

// The width the layout counts for a peer's text (after terminalSafe) is the width a terminal
// draws: checked against xterm.js (headless, Unicode 11 widths) over Unicode's tricky classes.

const terminal = new xterm.Terminal({cols: 1000, rows: 4, allowProposedApi: true});
terminal.loadAddon(new unicode11.Unicode11Addon());
terminal.unicode.activeVersion = '11';

/** How far the cursor moves when `text` is written on a fresh line. */
async function drawnWidth(text: string): Promise<number> {
	await new Promise<void>(resolve => {
		terminal.write(`\r\u001B[2K${text}`, resolve);
	});
	return terminal.buffer.active.cursorX;
}

const ranges: Array<[number, number]> = [
	[0x20, 0x7E], // ASCII
	[0x300, 0x36F], // combining diacritics
	[0x4E00, 0x4E40], // CJK ideographs (wide)
	[0xAC00, 0xAC20], // Hangul syllables (wide)
	[0x1100, 0x1160], // Hangul leading jamo (wide) and the choseong filler
	[0x1160, 0x1170], // jungseong filler and vowels (zero width in terminals)
	[0x3164, 0x3164], // Hangul filler
	[0xFFA0, 0xFFA0], // halfwidth Hangul filler
	[0x1F600, 0x1F64F], // emoji (wide)
	[0x1F1E6, 0x1F1FF], // regional indicators
	[0x1F3FB, 0x1F3FF], // skin-tone modifiers
	[0x200B, 0x200D], // zero-width space, non-joiner, joiner
	[0x2060, 0x2064], // word joiner, invisible operators
	[0xFE00, 0xFE0F], // variation selectors
	[0xE0020, 0xE007F], // tags
	[0xAD, 0xAD], // soft hyphen
	[0x2764, 0x2764], // ❤ (text presentation by default)
	[0x0E01, 0x0E3A], // Thai, with its combining vowels
	[0x0900, 0x094F], // Devanagari, with virama and combining signs
	[0xFF01, 0xFF60], // fullwidth forms
	[0xFF61, 0xFF9F], // halfwidth katakana
	[0x3000, 0x3000], // ideographic space
	[0x2500, 0x257F], // box drawing
];

const tricky = fc.constantFrom(...ranges).chain(([low, high]) => fc.integer({min: low, max: high})).map(code => String.fromCodePoint(code));

describe('the width the layout counts is the width the terminal draws', () => {
	it('for any peer text of tricky characters, as terminalSafe shows it (2,000 strings)', async () => {
		const samples = fc.sample(fc.array(tricky, {minLength: 1, maxLength: 12}).map(characters => characters.join('')), {numRuns: 2000, seed: 7});
		const wrong: string[] = [];
		for (const text of samples) {
			for (const shown of [terminalSafe(text), terminalSafeMessage(text)]) {
				const drawn = await drawnWidth(shown);
				if (drawn !== columns(shown)) {
					wrong.push(`${JSON.stringify(text)} shown ${JSON.stringify(shown)}: counted ${columns(shown)}, drawn ${drawn}`);
				}
			}
		}

		expect(wrong.slice(0, 10)).toEqual([]);
	}, 60_000);

	it('escapes flags, modifiers and invisible characters: 7 regional indicators are 7 escapes, not a line that wraps', () => {
		const flags = String.fromCodePoint(...Array.from({length: 7}, (_, index) => 0x1F1E6 + index));
		expect(terminalSafe(flags)).toBe('\\u{1f1e6}\\u{1f1e7}\\u{1f1e8}\\u{1f1e9}\\u{1f1ea}\\u{1f1eb}\\u{1f1ec}');
		expect(terminalSafe('a\u200Db\uFE0F\u00AD')).toBe('a\\u200db\\ufe0f\\u00ad');
		expect(terminalSafe('😀 ok é')).toBe('😀 ok é');
	});
});
