import type {Endpoint, Eol} from '../events.js';

/**
 * The tutorial's greeting protocol: `Welcome!` on connect, `Hello, M!` for each message M,
 * `exit` closes. Built from bytes so a binary message is echoed back exactly.
 */
export type Responder = {
	/** Sent when a client connects, or undefined to say nothing. */
	readonly welcome: () => Buffer | undefined;
	/**
	 * The answer to one message from `peer`, or undefined for none. `text` is the message
	 * decoded, when that is exact (valid UTF-8): an answer built from it can stay a string.
	 */
	readonly reply: (message: Buffer, peer: Endpoint, text?: string) => Reply | undefined;
	/** True when the message asks us to close the connection. */
	readonly isExit: (message: Buffer) => boolean;
	/**
	 * What to say of the reply just given, when it is not what the peer may think (--mock: the
	 * recording's answers to this message are used up and its last one is sent again).
	 */
	readonly replyNote?: () => string | undefined;
};

/** Bytes to send; a string stands for its UTF-8 bytes (exactly: it never holds a lone surrogate). */
export type Reply = Buffer | string;

/** The number of bytes a reply is on the wire. */
export function replyLength(reply: Reply): number {
	return typeof reply === 'string' ? Buffer.byteLength(reply) : reply.length;
}

const eolText: Record<Eol, string> = {lf: '\n', crlf: '\r\n', none: ''};

const eolBytes: Record<Eol, Buffer> = {
	lf: Buffer.from('\n'),
	crlf: Buffer.from('\r\n'),
	none: Buffer.alloc(0),
};

/** The line terminator for what we send. */
export function eolOf(eol: Eol): Buffer {
	return eolBytes[eol];
}

/** `text` followed by the configured EOL, as a string. */
export function lineText(text: string, eol: Eol): string {
	return text + eolText[eol];
}

/** `text` followed by the configured EOL. */
export function line(text: string | Buffer, eol: Eol): Buffer {
	const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
	return Buffer.concat([body, eolBytes[eol]]);
}

const HELLO = Buffer.from('Hello, ');
const BANG = Buffer.from('!');
const EXIT = Buffer.from('exit');

/** What String#trim removes, among the bytes read as Latin-1: TAB, LF, VT, FF, CR, space, NBSP. */
function isBlankByte(byte: number): boolean {
	return (byte >= 0x09 && byte <= 0x0D) || byte === 0x20 || byte === 0xA0;
}

/**
 * True for `exit`, tolerating blanks around the word (the tutorial compares the whole recv).
 * Byte by byte, with no copy: it runs on every message.
 */
export function isExitMessage(message: Buffer): boolean {
	let start = 0;
	let end = message.length;
	while (start < end && isBlankByte(message[start]!)) {
		start++;
	}

	while (end > start && isBlankByte(message[end - 1]!)) {
		end--;
	}

	return end - start === EXIT.length && EXIT.compare(message, start, end) === 0;
}

export function greetingResponder(eol: Eol): Responder {
	const welcome = line('Welcome!', eol);
	const end = Buffer.concat([BANG, eolBytes[eol]]);
	const endText = `!${eolText[eol]}`;
	return {
		welcome: () => welcome,
		// From the text when it is exact: no buffer to build, and nothing to decode for the log.
		reply: (message, _peer, text) => (text === undefined ? Buffer.concat([HELLO, message, end]) : `Hello, ${text}${endText}`),
		isExit: isExitMessage,
	};
}
