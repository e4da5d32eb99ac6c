/** Bytes shown per call at most; the rest is counted. */
const shownBytes = 48;

/** Bytes as a Python bytes literal, as the tutorial prints them: `b'Hello, M!\n'`. */
export function pythonBytes(bytes: Uint8Array): string {
	let text = '';
	for (const byte of bytes.subarray(0, shownBytes)) {
		text += byte === 0x5C ? '\\\\' : byte === 0x27 ? '\\\'' : byte === 0x0A ? '\\n' : byte === 0x0D ? '\\r' : byte === 0x09 ? '\\t' : byte >= 0x20 && byte < 0x7F ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
	}

	return `b'${text}'${bytes.length > shownBytes ? `…(+${bytes.length - shownBytes} bytes)` : ''}`;
}
