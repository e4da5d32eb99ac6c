import {BinaryFramer, binaryFraming} from './binary-framing.js';
import {Framer, type FramerOptions} from './framing.js';

/** What every framer does: bytes in, messages out (FramerOptions.onMessage). */
export type MessageFramer = {
	push(chunk: Buffer): void;
	/** The stream ended: the rest is delivered; returns blank lines no message carried. */
	end(): Buffer;
	dispose(): void;
	readonly buffered: number;
};

/** The framer for `options.framing`: lines or chunks (Framer), a length prefix or a delimiter (BinaryFramer). */
export function createFramer(options: FramerOptions): MessageFramer {
	const binary = binaryFraming(options.framing);
	return binary ? new BinaryFramer(binary, options) : new Framer(options);
}
