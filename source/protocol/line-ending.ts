const LF = 0x0A;
const CR = 0x0D;

/** The length of the `\n`, `\r\n` or lone `\r` that ends `bytes` (0, 1 or 2). */
export function lineEndingLength(bytes: Uint8Array): number {
	const end = bytes.length;
	if (end === 0) {
		return 0;
	}

	if (bytes[end - 1] === CR) {
		return 1;
	}

	if (bytes[end - 1] !== LF) {
		return 0;
	}

	return end > 1 && bytes[end - 2] === CR ? 2 : 1;
}

/** `bytes` without the `\n`, `\r\n` or `\r` that ends it. */
export function withoutLineEnding(bytes: Buffer): Buffer {
	return bytes.subarray(0, bytes.length - lineEndingLength(bytes));
}
