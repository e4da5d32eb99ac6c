/** Bytes shown per call at most; the rest is counted. */
const shownBytes = 48;

/**
 * Bytes as a Python bytes literal, as the tutorial prints them: `b'Hello, M!\n'`; past 48 bytes
 * the rest is counted. `total`: how many bytes there are when `bytes` is only their start.
 */
export function pythonBytes(bytes: Uint8Array, total = bytes.length): string {
	let text = '';
	for (const byte of bytes.subarray(0, shownBytes)) {
		text += byte === 0x5C ? '\\\\' : byte === 0x27 ? '\\\'' : byte === 0x0A ? '\\n' : byte === 0x0D ? '\\r' : byte === 0x09 ? '\\t' : byte >= 0x20 && byte < 0x7F ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
	}

	return `b'${text}'${total > shownBytes ? `…(+${total - shownBytes} bytes)` : ''}`;
}
