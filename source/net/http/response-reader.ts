import {terminalSafeBytes} from '../../protocol/escape-bytes.js';
import {plural} from '../../format/plural.js';
import {ChunkedDecoder, HttpProtocolError} from './chunked-decoder.js';

export type ResponseHead = {
	readonly version: string;
	readonly status: number;
	readonly reason: string;
	/** The status line and header lines as received (for printing). */
	readonly lines: readonly string[];
	readonly headers: ReadonlyArray<readonly [string, string]>;
};

export type BodyFraming = 'content-length' | 'chunked' | 'until-close' | 'none';

const maxHead = 64 * 1024;
const LF = 0x0A;
const CR = 0x0D;

/**
 * Where the head ends: the empty line after it, found with CRLF or bare LF line endings (RFC 9112
 * §2.2 lets a recipient take a lone LF as a line terminator, as curl does). Returns the length of
 * the head without its last line's terminator, and where the body starts; undefined when the
 * empty line has not arrived yet.
 */
function findHeadEnd(bytes: Buffer): {head: number; body: number} | undefined {
	for (let index = bytes.indexOf(LF); index !== -1; index = bytes.indexOf(LF, index + 1)) {
		const head = index > 0 && bytes[index - 1] === CR ? index - 1 : index;
		if (bytes[index + 1] === LF) {
			return {head, body: index + 2};
		}

		if (bytes[index + 1] === CR && bytes[index + 2] === LF) {
			return {head, body: index + 3};
		}
	}

	return undefined;
}

export function header(head: ResponseHead, name: string): string | undefined {
	const wanted = name.toLowerCase();
	return head.headers.find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/**
 * Reads an HTTP/1.x response as it streams in: the head (status line and headers, 1xx skipped),
 * then the body decoded per its framing — or, raw, every byte after the head as the tutorial
 * saves it. Never holds more than the head and one chunk-size line.
 */
export class ResponseReader {
	head: ResponseHead | undefined;
	framing: BodyFraming | undefined;
	/** Body length announced by Content-Length, if any. */
	expected: number | undefined;
	received = 0;
	#pending: Buffer = Buffer.alloc(0);
	#chunked: ChunkedDecoder | undefined;
	#complete = false;

	constructor(
		private readonly onHead: (head: ResponseHead) => void,
		private readonly onBody: (bytes: Buffer) => void,
		private readonly raw = false,
	) {}

	/** Bytes of a response head received so far, while it is incomplete. */
	get partialHead(): Buffer {
		return this.head === undefined ? this.#pending : Buffer.alloc(0);
	}

	/** True once the body is whole by its own framing (until-close: only at EOF). */
	get complete(): boolean {
		return this.#complete;
	}

	push(chunk: Buffer): void {
		if (this.head === undefined) {
			this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
			this.#readHead();
			return;
		}

		this.#body(chunk);
	}

	/** The peer closed: a body framed until-close is now complete; anything else short is not. */
	end(): void {
		if (this.head === undefined) {
			throw new HttpProtocolError(this.#pending.length === 0 ? 'the server closed without answering' : `the server closed in the middle of the response head, after ${describeHead(this.#pending)}`);
		}

		if (this.framing === 'until-close') {
			this.#complete = true;
		}
	}

	#readHead(): void {
		for (;;) {
			const end = findHeadEnd(this.#pending);
			if (end === undefined) {
				if (this.#pending.length > maxHead || (this.#pending.length >= 5 && !this.#pending.subarray(0, 5).equals(Buffer.from('HTTP/')))) {
					throw new HttpProtocolError(this.#pending.subarray(0, 5).toString('latin1') === 'HTTP/' ? 'response head larger than 64 KB' : 'not an HTTP response');
				}

				return;
			}

			const head = parseHead(this.#pending.toString('latin1', 0, end.head));
			const rest = this.#pending.subarray(end.body);
			if (head.status >= 100 && head.status < 200 && head.status !== 101) {
				this.#pending = rest; // 100 Continue and friends: the real answer follows.
				continue;
			}

			this.head = head;
			this.#pending = Buffer.alloc(0);
			this.#chooseFraming(head);
			this.onHead(head);
			if (rest.length > 0) {
				this.#body(rest);
			}

			return;
		}
	}

	#chooseFraming(head: ResponseHead): void {
		if (this.raw) {
			this.framing = 'until-close';
			return;
		}

		const encoding = header(head, 'transfer-encoding');
		const length = header(head, 'content-length');
		if (head.status === 204 || head.status === 304) {
			this.framing = 'none';
			this.#complete = true;
		} else if (encoding !== undefined && /chunked\s*$/i.test(encoding)) {
			this.framing = 'chunked';
			this.#chunked = new ChunkedDecoder(bytes => {
				this.#deliver(bytes);
			});
		} else if (length !== undefined) {
			if (!/^\d+$/.test(length.trim())) {
				throw new HttpProtocolError(`bad Content-Length "${length}"`);
			}

			this.framing = 'content-length';
			this.expected = Number(length.trim());
			this.#complete = this.expected === 0;
		} else {
			this.framing = 'until-close';
		}
	}

	#body(chunk: Buffer): void {
		if (this.#complete) {
			return;
		}

		if (this.framing === 'chunked') {
			this.#chunked!.push(chunk);
			this.#complete = this.#chunked!.done;
			return;
		}

		if (this.framing === 'content-length') {
			const take = Math.min(chunk.length, this.expected! - this.received);
			this.#deliver(chunk.subarray(0, take));
			this.#complete = this.received === this.expected;
			return;
		}

		this.#deliver(chunk);
	}

	#deliver(bytes: Buffer): void {
		if (bytes.length > 0) {
			this.received += bytes.length;
			this.onBody(bytes);
		}
	}
}

/** `23 bytes: "HTTP/1.1 200 OK\r\nContent-Le"`: the first 80 bytes, terminal-safe (`\xNN` for bytes that are not UTF-8). */
export function describeHead(bytes: Buffer): string {
	const text = terminalSafeBytes(bytes.subarray(0, 80));
	return `${plural(bytes.length, 'byte')}: "${text}${bytes.length > 80 ? '…' : ''}"`;
}

function parseHead(text: string): ResponseHead {
	const lines = text.split(/\r?\n/);
	const status = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
	if (!status) {
		throw new HttpProtocolError(`not an HTTP response (status line "${(lines[0] ?? '').slice(0, 60)}")`);
	}

	const headers: Array<[string, string]> = [];
	for (const line of lines.slice(1)) {
		const colon = line.indexOf(':');
		if (colon <= 0) {
			throw new HttpProtocolError(`bad header line "${line.slice(0, 60)}"`);
		}

		headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
	}

	return {version: status[1]!, status: Number(status[2]), reason: status[3] ?? '', lines, headers};
}
