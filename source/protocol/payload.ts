import {isUtf8} from 'node:buffer';
import type {Framed, Payload} from '../events.js';

/** Text for display and search, plus base64 of the exact bytes when the text would lose them. */
export function toPayload(bytes: Uint8Array): Payload {
	const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const text = buffer.toString('utf8');
	return isUtf8(buffer) ? {text} : {text, base64: buffer.toString('base64')};
}

/** The exact bytes a payload stands for. */
export function payloadBytes(payload: Payload): Buffer {
	return payload.base64 === undefined ? Buffer.from(payload.text, 'utf8') : Buffer.from(payload.base64, 'base64');
}

/**
 * The first `max` bytes a payload stands for, and how many there are in all — without decoding
 * all of it (a screen shows the start of a 1 MB line at every frame).
 */
export function payloadPrefix(payload: Payload, max: number): {readonly bytes: Buffer; readonly total: number} {
	if (payload.base64 === undefined) {
		// A character is at most 4 bytes of UTF-8 and at least 1: `max` characters hold `max` bytes.
		return {bytes: Buffer.from(payload.text.slice(0, max), 'utf8').subarray(0, max), total: Buffer.byteLength(payload.text, 'utf8')};
	}

	const padding = payload.base64.endsWith('==') ? 2 : (payload.base64.endsWith('=') ? 1 : 0);
	return {bytes: Buffer.from(payload.base64.slice(0, Math.ceil(max / 3) * 4), 'base64').subarray(0, max), total: ((payload.base64.length / 4) * 3) - padding};
}

/**
 * The `eol`/`skipped` fields of a framed message (events.ts, Framed): only what differs from a
 * plain `\n`-ended line. Line endings are ASCII, so latin1 keeps them exact.
 */
export function framed(ending: Buffer, skipped: Buffer): Framed {
	const eol = ending.length === 1 && ending[0] === 0x0A ? undefined : ending.toString('latin1');
	if (skipped.length === 0) {
		return eol === undefined ? {} : {eol};
	}

	return eol === undefined ? {skipped: skipped.toString('latin1')} : {eol, skipped: skipped.toString('latin1')};
}
