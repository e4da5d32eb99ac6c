import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import {terminalSafe} from '../protocol/terminal-safe.js';
import {hexBytes} from '../protocol/terminal-safe.js';
import {terminalSafeBytes} from '../protocol/escape-bytes.js';
import {clock} from '../format/clock.js';
import {payloadPrefix} from '../protocol/payload.js';

/**
 * Characters one column wide each, whatever the terminal: printable ASCII, and the arrows, box
 * drawing and shapes the panes draw with (U+2190–21FF, U+2500–25FC; not U+25FD/25FE, which are
 * emoji, two columns) plus … and •.
 */
const narrowOnly = /^[\u0020-\u007E\u2022\u2026\u2190-\u21FF\u2500-\u25FC]*$/;

/**
 * Columns a string takes on a terminal: string-width's answer, found at once for a line of the
 * characters above (most lines the panes draw: borders, rows, times), which would otherwise be cut
 * into graphemes one by one (a property test checks both agree).
 */
export function columns(text: string): number {
	return narrowOnly.test(text) ? text.length : stringWidth(text);
}

/** Exactly `width` columns: truncated with … or padded with spaces. */
export function fit(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const size = columns(text);
	if (size > width) {
		// A wide character cut in half can leave the truncation one column over: cut again.
		let cut = cliTruncate(text, width);
		for (let room = width - 1; columns(cut) > width && room > 0; room--) {
			cut = cliTruncate(text, room);
		}

		return cut + ' '.repeat(Math.max(0, width - columns(cut)));
	}

	return text + ' '.repeat(width - size);
}

/** `HH:MM:SS`, local time. */
export function time(ts: number): string {
	return clock(ts).slice(0, 8);
}

/** `m:ss` or `h:mm:ss`. */
export function duration(ms: number): string {
	const total = Math.max(0, Math.floor(ms / 1000));
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = String(total % 60).padStart(2, '0');
	return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** At most four columns, like `ls -h`: `999`, `1.2k`, `34k`, `567k`, `8.9M`, `12G`. */
export function count(value: number): string {
	if (value < 1000) {
		return String(value);
	}

	for (const [unit, size] of [['k', 1e3], ['M', 1e6], ['G', 1e9]] as const) {
		const scaled = value / size;
		if (scaled < 9.95) {
			return `${scaled.toFixed(1)}${unit}`;
		}

		if (scaled < 999.5) {
			return `${Math.round(scaled)}${unit}`;
		}
	}

	return `${Math.round(value / 1e12)}T`;
}

/**
 * Remote text as shown on one line: terminal-safe, with every byte that is not UTF-8 as `\xNN`
 * (never a silent U+FFFD), or hex when asked.
 */
export function shown(text: string, base64: string | undefined, hex: boolean): string {
	// A line is one row of the screen: its start is all that can show (a 1 MB line must cost what a
	// short one does, at every frame). Escaping only widens, so this many characters fill any row.
	if (!hex && base64 === undefined) {
		return terminalSafe(text.length > shownLimit ? text.slice(0, shownLimit) : text);
	}

	const {bytes} = payloadPrefix(base64 === undefined ? {text} : {text, base64}, shownLimit);
	return hex ? hexBytes(bytes) : terminalSafeBytes(bytes);
}

/** The most characters (or bytes) of a message one row shows. */
const shownLimit = 512;
