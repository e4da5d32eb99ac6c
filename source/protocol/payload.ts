import {isUtf8} from 'node:buffer';
import type {Payload} from '../events.js';

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
