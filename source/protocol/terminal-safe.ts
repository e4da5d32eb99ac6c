/**
 * Remote bytes never reach the terminal raw. Every character a terminal could act on — C0
 * controls, DEL, ESC (so no CSI/OSC/DCS sequence can start), C1 controls, and the bidi
 * overrides that reorder what is shown — becomes a visible escape such as `\x1b` or `\u202e`.
 * What remains is printable text; the exact bytes stay in the events (base64).
 */

const named: Record<string, string> = {
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\u001B': '\\e',
	'\\': '\\\\',
};

// C0, DEL, C1, bidi marks/embeddings/overrides/isolates, line/paragraph separators, BOM; then
// what terminals draw at a width of their own choosing (xterm, VTE, kitty and iTerm2 disagree):
// regional indicators (flag pairs and lone ones), emoji skin-tone modifiers, and the default
// ignorables (ZWJ and zero-width spaces, variation selectors, tags, Hangul fillers, soft hyphen).
// Shown as escapes, the text's width is the same for every terminal and for the layout.
// Hangul's medial and final jamo (U+1160–U+11FF, U+D7B0–U+D7FF) join a syllable in some
// terminals and take a cell in others; Thai and Lao AM (U+0E33, U+0EB3) are spacing marks that
// terminals draw in a cell of their own while the layout counts them in their syllable.
const widthTricks = '\\p{Regional_Indicator}\\p{Emoji_Modifier}\\p{Default_Ignorable_Code_Point}\\u1160-\\u11FF\\uD7B0-\\uD7FF\\u0E33\\u0EB3';
const unsafe = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069\\uFEFF\\\\${widthTricks}]`, 'gu');

function escape(character: string): string {
	const known = named[character];
	if (known !== undefined) {
		return known;
	}

	// A C0 control is its own byte; anything above (C1 U+0080–U+009F, bidi marks) is a character
	// of two or three bytes: \u0085, so it cannot be read as the single invalid byte \x85; past
	// the BMP, \u{1f1e6}.
	const code = character.codePointAt(0)!;
	if (code > 0xFFFF) {
		return `\\u{${code.toString(16)}}`;
	}

	return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

// A combining mark with nothing before it to combine with: terminals give it a cell of its own.
const leadingMarks = /^\p{M}+/u;

function escapeLeadingMarks(text: string): string {
	return leadingMarks.test(text) ? text.replace(leadingMarks, marks => [...marks].map(mark => escape(mark)).join('')) : text;
}

/** Display-safe text: one line, no character a terminal would interpret, drawn as wide as it is counted. */
export function terminalSafe(text: string): string {
	return escapeLeadingMarks(text.replaceAll(unsafe, escape));
}

const unsafeButBackslash = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069\\uFEFF${widthTricks}]`, 'gu');

/**
 * Display-safe text for our own words (notices, info lines), which may quote a peer: controls are
 * escaped as in terminalSafe, but a backslash stays one (no byte is being told apart there).
 */
export function terminalSafeMessage(text: string): string {
	// Most lines have nothing to escape: no copy of them is made then.
	return escapeLeadingMarks(unsafeButBackslashOne.test(text) ? text.replaceAll(unsafeButBackslash, escape) : text);
}

const unsafeButBackslashOne = new RegExp(unsafeButBackslash.source, 'u');

/** True when the text would be shown differently from how it was received. */
export function needsEscaping(text: string): boolean {
	unsafe.lastIndex = 0;
	const found = unsafe.test(text);
	unsafe.lastIndex = 0;
	return found;
}

/** `48 65 6c 6c 6f` for the first `limit` bytes, with `…` when there are more. */
export function hexBytes(bytes: Uint8Array, limit = 64): string {
	const shown = Array.from(bytes.subarray(0, limit), byte => byte.toString(16).padStart(2, '0')).join(' ');
	return bytes.length > limit ? `${shown} … (${bytes.length} B)` : shown;
}

// What JSON.stringify leaves raw that a terminal acts on or reorders: DEL, C1, bidi and line
// separators (it escapes only C0). They can only stand inside a JSON string.
const unsafeInJson = /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/;
const unsafeInJsonAll = new RegExp(unsafeInJson.source, 'g');

/**
 * JSON text (an NDJSON line) safe to print on a terminal, and the same JSON value: each character
 * above written as its `\uXXXX` escape (RFC 8259 §7).
 */
export function terminalSafeJson(json: string): string {
	return unsafeInJson.test(json) ? json.replaceAll(unsafeInJsonAll, character => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`) : json;
}
