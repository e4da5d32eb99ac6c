import type {Endpoint, Eol} from '../events.js';

/**
 * The tutorial's greeting protocol: `Welcome!` on connect, `Hello, M!` for each message M,
 * `exit` closes. Built from bytes so a binary message is echoed back exactly.
 */
export type Responder = {
	/** Sent when a client connects, or undefined to say nothing. */
	readonly welcome: () => Buffer | undefined;
	/** The answer to one message from `peer`, or undefined for none. */
	readonly reply: (message: Buffer, peer: Endpoint) => Buffer | undefined;
	/** True when the message asks us to close the connection. */
	readonly isExit: (message: Buffer) => boolean;
};

const eolBytes: Record<Eol, Buffer> = {
	lf: Buffer.from('\n'),
	crlf: Buffer.from('\r\n'),
	none: Buffer.alloc(0),
};

/** The line terminator for what we send. */
export function eolOf(eol: Eol): Buffer {
	return eolBytes[eol];
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
	return {
		welcome: () => welcome,
		reply: message => Buffer.concat([HELLO, message, end]),
		isExit: isExitMessage,
	};
}
