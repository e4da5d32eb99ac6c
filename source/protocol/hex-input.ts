import {UsageError} from '../errors.js';

/**
 * Bytes typed as hex: pairs of digits, with or without spaces, colons or `0x` prefixes
 * (`00 01 ff`, `0001ff`, `0x00,0x01`). Throws a UsageError naming what is not hex.
 */
export function parseHex(text: string): Buffer {
	const digits = text.replaceAll(/0x/gi, '').replaceAll(/[\s,:]/g, '');
	if (!/^[\da-f]*$/i.test(digits)) {
		throw new UsageError(`not hex: "${text}" (pairs of 0-9 a-f, e.g. 00 01 ff)`);
	}

	if (digits.length % 2 !== 0) {
		throw new UsageError(`hex needs whole bytes (pairs of digits): "${text}"`);
	}

	return Buffer.from(digits, 'hex');
}
