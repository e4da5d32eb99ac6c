const LF = 0x0A;

/**
 * The lines of a byte stream, each with its line ending kept (`\n`, or `\r\n`), as nc -u sends
 * them; a last line without a newline is yielded at EOF. Bytes are never decoded.
 */
export async function * linesOf(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
	let pending: Buffer = Buffer.alloc(0);
	for await (const chunk of stream) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
		let start = 0;
		for (let newline = pending.indexOf(LF); newline !== -1; newline = pending.indexOf(LF, start)) {
			yield pending.subarray(start, newline + 1);
			start = newline + 1;
		}

		pending = pending.subarray(start);
	}

	if (pending.length > 0) {
		yield pending;
	}
}

export {withoutLineEnding} from '../protocol/line-ending.js';

/** All of a stream, as one buffer. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) {
		chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	}

	return Buffer.concat(chunks);
}
