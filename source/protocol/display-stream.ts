import {terminalSafe} from './terminal-safe.js';
import {decodeUtf8Runs, incompleteUtf8Tail} from './utf8.js';

const CR = 0x0D;

/**
 * A byte stream made safe to print on a terminal, chunk by chunk (nc's stdout when it is a
 * terminal): lines stay lines (CRLF and LF both end one), every other control character, escape
 * sequence start and bidi override is shown escaped (`\e`, `\r`, `\u202e`), and each byte that is
 * not valid UTF-8 is shown as `\xNN`. A character or a CRLF split between two chunks is held
 * back until its end arrives, so a chunk boundary never changes what is shown.
 */
export class DisplayStream {
	#held: Buffer = Buffer.alloc(0);

	/** The text to print for one more chunk. */
	push(chunk: Buffer): string {
		const bytes = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk]);
		let end = bytes.length - incompleteUtf8Tail(bytes);
		if (end > 0 && end === bytes.length && bytes[end - 1] === CR) {
			end--; // Maybe the first half of a CRLF.
		}

		this.#held = Buffer.from(bytes.subarray(end));
		return render(bytes.subarray(0, end));
	}

	/** What was held back, at the end of the stream. */
	end(): string {
		const rest = this.#held;
		this.#held = Buffer.alloc(0);
		return render(rest);
	}
}

function render(bytes: Buffer): string {
	let out = '';
	decodeUtf8Runs(bytes, run => {
		out += run.split(/\r?\n/).map(line => terminalSafe(line)).join('\n');
	}, byte => {
		out += `\\x${byte.toString(16).padStart(2, '0')}`;
	});
	return out;
}
