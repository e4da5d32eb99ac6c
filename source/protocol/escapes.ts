import {UsageError} from '../errors.js';

/** An escape that cannot be read; the CLI prints it and exits 2. */
export class EscapeError extends UsageError {
	override name = 'EscapeError';
}

const simple: Record<string, number> = {r: 0x0D, n: 0x0A, t: 0x09, '0': 0x00, '\\': 0x5C, e: 0x1B};

/** The escapes understood, for messages. */
export const escapeForms = String.raw`\r \n \t \0 \e \\ \xNN \u{HEX}`;

/**
 * Where the escape at `text[index]` (a backslash) ends, and its bytes. Escapes: `\r \n \t \0`,
 * `\e` (ESC), `\\`, `\xNN` (one byte) and `\u{…}` (a code point, as UTF-8) — the forms of
 * JavaScript and of printf(1), minus octal. Throws an EscapeError naming the escape and where.
 */
export function readEscape(text: string, index: number): {readonly bytes: Buffer; readonly end: number} {
	const next = text[index + 1];
	if (next === undefined) {
		throw new EscapeError(`a lone \\ at the end of "${text}" (write \\\\ for a backslash; escapes: ${escapeForms})`);
	}

	const byte = simple[next];
	if (byte !== undefined) {
		return {bytes: Buffer.from([byte]), end: index + 2};
	}

	if (next === 'x') {
		const hex = /^[\da-f]{2}/i.exec(text.slice(index + 2, index + 4));
		if (!hex) {
			throw new EscapeError(`bad escape \\x${text.slice(index + 2, index + 4)} in "${text}": \\x takes two hex digits (\\x00 to \\xff)`);
		}

		return {bytes: Buffer.from([Number.parseInt(hex[0], 16)]), end: index + 4};
	}

	if (next === 'u') {
		const code = /^\{([\da-f]{1,6})\}/i.exec(text.slice(index + 2));
		const point = code ? Number.parseInt(code[1]!, 16) : Number.NaN;
		if (!code || point > 0x10_FF_FF || (point >= 0xD8_00 && point <= 0xDF_FF)) {
			throw new EscapeError(`bad escape in "${text}" at ${index + 1}: \\u takes a code point in braces, e.g. \\u{263a}`);
		}

		return {bytes: Buffer.from(String.fromCodePoint(point), 'utf8'), end: index + 3 + code[1]!.length + 1};
	}

	throw new EscapeError(`unknown escape \\${next} in "${text}" (escapes: ${escapeForms}; \\\\ for a backslash)`);
}

/** `text` with its escapes (readEscape) turned into the bytes they stand for; the rest as UTF-8. */
export function parseEscapes(text: string): Buffer {
	const parts: Buffer[] = [];
	let from = 0;
	let at = text.indexOf('\\');
	while (at !== -1) {
		parts.push(Buffer.from(text.slice(from, at), 'utf8'));
		const {bytes, end} = readEscape(text, at);
		parts.push(bytes);
		from = end;
		at = text.indexOf('\\', from);
	}

	parts.push(Buffer.from(text.slice(from), 'utf8'));
	return Buffer.concat(parts);
}
