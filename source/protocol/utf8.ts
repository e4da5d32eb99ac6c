import {isUtf8} from 'node:buffer';

/**
 * How many bytes at the end of `bytes` (0 to 3) are the start of a UTF-8 character whose other
 * bytes have not arrived yet: a valid but incomplete prefix (RFC 3629 §4, including the narrower
 * second-byte ranges after E0, ED, F0 and F4). Framing holds these back so that no message
 * ends in the middle of a character.
 */
export function incompleteUtf8Tail(bytes: Uint8Array, end = bytes.length): number {
	for (let back = 1; back <= 3 && back <= end; back++) {
		const byte = bytes[end - back]!;
		if (byte >= 0x80 && byte <= 0xBF) {
			continue; // A continuation byte: the lead is further back.
		}

		const needed = sequenceLength(byte);
		if (needed <= back) {
			return 0; // Complete (or not a lead byte at all).
		}

		if (back >= 2 && !validSecondByte(byte, bytes[end - back + 1]!)) {
			return 0;
		}

		return back;
	}

	return 0;
}

/** The length of the sequence a lead byte starts; 0 for a byte that cannot lead one. */
function sequenceLength(lead: number): number {
	if (lead >= 0xC2 && lead <= 0xDF) {
		return 2;
	}

	if (lead >= 0xE0 && lead <= 0xEF) {
		return 3;
	}

	return lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
}

function validSecondByte(lead: number, second: number): boolean {
	switch (lead) {
		case 0xE0: {
			return second >= 0xA0 && second <= 0xBF;
		}

		case 0xED: {
			return second >= 0x80 && second <= 0x9F;
		}

		case 0xF0: {
			return second >= 0x90 && second <= 0xBF;
		}

		case 0xF4: {
			return second >= 0x80 && second <= 0x8F;
		}

		default: {
			return second >= 0x80 && second <= 0xBF;
		}
	}
}

/** The length of the valid UTF-8 character at `index`, or 0 when the byte there starts none. */
function validSequenceAt(bytes: Uint8Array, index: number): number {
	const lead = bytes[index]!;
	if (lead < 0x80) {
		return 1;
	}

	const length = sequenceLength(lead);
	if (length === 0 || index + length > bytes.length || !validSecondByte(lead, bytes[index + 1]!)) {
		return 0;
	}

	for (let offset = 2; offset < length; offset++) {
		const byte = bytes[index + offset]!;
		if (byte < 0x80 || byte > 0xBF) {
			return 0;
		}
	}

	return length;
}

/**
 * Splits bytes into runs of valid UTF-8 (decoded) and single invalid bytes: `text(run)` for each
 * valid run, `invalid(byte)` for each byte that is not part of a valid character. Nothing is
 * turned into U+FFFD, so the difference between a sent U+FFFD and a bad byte stays visible.
 */
export function decodeUtf8Runs(bytes: Buffer, text: (run: string) => void, invalid: (byte: number) => void): void {
	if (isUtf8(bytes)) {
		if (bytes.length > 0) {
			text(bytes.toString('utf8'));
		}

		return;
	}

	let start = 0;
	let index = 0;
	while (index < bytes.length) {
		const length = validSequenceAt(bytes, index);
		if (length > 0) {
			index += length;
			continue;
		}

		if (index > start) {
			text(bytes.toString('utf8', start, index));
		}

		invalid(bytes[index]!);
		index++;
		start = index;
	}

	if (index > start) {
		text(bytes.toString('utf8', start, index));
	}
}
