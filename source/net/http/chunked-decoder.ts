/** A malformed response: the command says so in one line. */
export class HttpProtocolError extends Error {
	override name = 'HttpProtocolError';
}

const maxLine = 8192;

/**
 * Decodes `Transfer-Encoding: chunked` as it streams: chunk sizes (with extensions), data,
 * the final zero chunk and trailers. Memory is bounded by one size or trailer line.
 */
export class ChunkedDecoder {
	#state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
	#line = '';
	#remaining = 0;

	constructor(private readonly onData: (bytes: Buffer) => void) {}

	get done(): boolean {
		return this.#state === 'done';
	}

	/** Feeds bytes; returns how many were used (the rest follow the body and are ignored). */
	push(chunk: Buffer): number {
		let offset = 0;
		while (offset < chunk.length && this.#state !== 'done') {
			if (this.#state === 'data') {
				const take = Math.min(this.#remaining, chunk.length - offset);
				this.onData(chunk.subarray(offset, offset + take));
				offset += take;
				this.#remaining -= take;
				if (this.#remaining === 0) {
					this.#state = 'data-end';
				}

				continue;
			}

			// Line states: size, data-end (the CRLF after data), trailer.
			const newline = chunk.indexOf(0x0A, offset);
			const end = newline === -1 ? chunk.length : newline;
			this.#line += chunk.toString('latin1', offset, end);
			if (this.#line.length > maxLine) {
				throw new HttpProtocolError('chunked body: a size or trailer line is too long');
			}

			offset = newline === -1 ? chunk.length : newline + 1;
			if (newline === -1) {
				break;
			}

			const line = this.#line.replace(/\r$/, '');
			this.#line = '';
			this.#onLine(line);
		}

		return offset;
	}

	#onLine(line: string): void {
		switch (this.#state) {
			case 'size': {
				const match = /^([\da-f]+)\s*(?:;.*)?$/i.exec(line);
				if (!match) {
					throw new HttpProtocolError(`chunked body: bad chunk size line "${line.slice(0, 40)}"`);
				}

				this.#remaining = Number.parseInt(match[1]!, 16);
				this.#state = this.#remaining === 0 ? 'trailer' : 'data';
				break;
			}

			case 'data-end': {
				if (line !== '') {
					throw new HttpProtocolError('chunked body: chunk data longer than its size');
				}

				this.#state = 'size';
				break;
			}

			case 'trailer': {
				if (line === '') {
					this.#state = 'done';
				}

				break;
			}

			default: {
				break;
			}
		}
	}
}
