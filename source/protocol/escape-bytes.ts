import {terminalSafe} from './terminal-safe.js';
import {decodeUtf8Runs} from './utf8.js';

/**
 * Bytes as one line of terminal-safe text: valid UTF-8 as its characters (controls escaped, as
 * terminalSafe does), every byte that is not part of a valid character as `\xNN` — never a
 * silent U+FFFD, so a replacement character that was sent and a bad byte look different.
 */
export function terminalSafeBytes(bytes: Uint8Array): string {
	let out = '';
	decodeUtf8Runs(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), run => {
		out += terminalSafe(run);
	}, byte => {
		out += `\\x${byte.toString(16).padStart(2, '0')}`;
	});
	return out;
}
