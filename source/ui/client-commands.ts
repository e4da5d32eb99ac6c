import type {Remote} from '../events.js';
import {messageOf} from '../errors.js';
import {parseHostPort, parseTargetAddress} from '../protocol/address-grammar.js';
import {parseHex} from '../protocol/hex-input.js';
import {parseFilter, type TranscriptFilter} from '../state/transcript-filter.js';

/** What a line typed in the client input asks for. */
export type ClientCommand =
	| {readonly kind: 'send'; readonly text: string}
	| {readonly kind: 'connect'; readonly remote: Remote}
	| {readonly kind: 'disconnect'}
	| {readonly kind: 'udp'; readonly remote: Remote | undefined; readonly text: string}
	| {readonly kind: 'clear'}
	| {readonly kind: 'filter'; readonly filter: TranscriptFilter | undefined}
	| {readonly kind: 'save'; readonly file: string}
	| {readonly kind: 'send-file'; readonly file: string}
	| {readonly kind: 'help'}
	/** Send TEXT `count` times, every `intervalMs`. */
	| {readonly kind: 'repeat'; readonly count: number; readonly intervalMs: number; readonly text: string}
	| {readonly kind: 'stop'}
	/** Transcripts in the tutorial's calls (conn.recv, sendall…), on, off or the other way. */
	| {readonly kind: 'explain'; readonly on: boolean | undefined}
	/** Transcripts timed from the connection's start, long waits marked. */
	| {readonly kind: 'timeline'; readonly on: boolean | undefined}
	/** Bytes typed as hex, sent exactly (no line ending). */
	| {readonly kind: 'hex'; readonly bytes: Buffer}
	/** Escapes in typed lines on, off, or (undefined) the other way. */
	| {readonly kind: 'escapes'; readonly on: boolean | undefined}
	| {readonly kind: 'error'; readonly message: string};

export const commandHelp = [
	'/connect HOST:PORT      connect the client (IPv6: [::1]:9999; tls://HOST:PORT)',
	'/disconnect             close the client connection',
	'/udp [HOST:PORT] TEXT   send a datagram (default: our UDP endpoint)',
	'/clear                  clear this transcript',
	'/filter [in|out] [TEXT] show only matching lines (/filter alone: all)',
	'/save FILE              save this transcript (FILE.ndjson: exact bytes)',
	'/send FILE              send the file\'s lines, each after the reply',
	'/hex 00 01 ff           send these bytes exactly (no line ending)',
	'/escapes [on|off]       read \\r \\n \\xNN… in typed lines as bytes (or --escapes)',
	'/repeat N MS TEXT       send TEXT N times, one every MS ms ({seq} numbers them)',
	'/stop                   stop a /repeat (Esc in the input box stops it too)',
	'/explain [on|off]       transcripts as the tutorial\'s calls: conn.recv(1024) -> b\'…\', sendall(…)',
	'/timeline [on|off]      times from the connection\'s start; waits of 100 ms or more marked',
	'/help                   this list',
	'exit                    ask the server to close (the tutorial protocol)',
	'//text                  send a line that starts with /',
];

/** Parses one submitted line; anything not a command is a message to send. */
export function parseClientCommand(line: string): ClientCommand {
	if (!line.startsWith('/') || line.startsWith('//')) {
		return {kind: 'send', text: line.startsWith('//') ? line.slice(1) : line};
	}

	const [name = '', ...rest] = line.slice(1).split(' ');
	const argument = rest.join(' ').trim();
	try {
		switch (name) {
			case 'connect': {
				if (argument === '') {
					return {kind: 'error', message: 'usage: /connect HOST:PORT'};
				}

				const target = parseTargetAddress(argument, ['tcp', 'tls', 'udp', 'unix'], 'by /connect');
				if (target.transport === 'udp') {
					return {kind: 'error', message: 'this client speaks TCP: send datagrams with /udp HOST:PORT TEXT'};
				}

				if (target.path !== undefined) {
					return {kind: 'connect', remote: {host: target.host, port: target.port, path: target.path}};
				}

				return {kind: 'connect', remote: target.transport === 'tls' ? {host: target.host, port: target.port, tls: true} : {host: target.host, port: target.port}};
			}

			case 'disconnect': {
				return {kind: 'disconnect'};
			}

			case 'udp': {
				const [first = '', ...words] = argument.split(' ');
				if (/^(\[[^\]]+\]|[^\s:[\]]+):\d+$/.test(first) && words.length > 0) {
					return {kind: 'udp', remote: parseHostPort(first), text: words.join(' ')};
				}

				return argument === '' ? {kind: 'error', message: 'usage: /udp [HOST:PORT] TEXT'} : {kind: 'udp', remote: undefined, text: argument};
			}

			case 'clear': {
				return {kind: 'clear'};
			}

			case 'hex': {
				return argument === '' ? {kind: 'error', message: 'usage: /hex 00 01 ff (pairs of hex digits)'} : {kind: 'hex', bytes: parseHex(argument)};
			}

			case 'escapes': {
				if (argument !== '' && argument !== 'on' && argument !== 'off') {
					return {kind: 'error', message: 'usage: /escapes [on|off]'};
				}

				return {kind: 'escapes', on: argument === '' ? undefined : argument === 'on'};
			}

			case 'filter': {
				return {kind: 'filter', filter: parseFilter(argument)};
			}

			case 'save': {
				return argument === '' ? {kind: 'error', message: 'usage: /save FILE (FILE.ndjson for exact bytes)'} : {kind: 'save', file: argument};
			}

			case 'send': {
				return argument === '' ? {kind: 'error', message: 'usage: /send FILE'} : {kind: 'send-file', file: argument};
			}

			case 'repeat': {
				const repeat = /^(\d+)\s+(\d+)\s+(.+)$/.exec(argument);
				if (!repeat || Number(repeat[1]) < 1 || Number(repeat[1]) > 10_000_000) {
					return {kind: 'error', message: 'usage: /repeat N MS TEXT (N times, one every MS ms; 0 MS: as fast as it goes; {seq} numbers them)'};
				}

				return {kind: 'repeat', count: Number(repeat[1]), intervalMs: Number(repeat[2]), text: repeat[3]!};
			}

			case 'stop': {
				return {kind: 'stop'};
			}

			case 'explain':
			case 'timeline': {
				if (argument !== '' && argument !== 'on' && argument !== 'off') {
					return {kind: 'error', message: `usage: /${name} [on|off]`};
				}

				return {kind: name, on: argument === '' ? undefined : argument === 'on'};
			}

			case 'help': {
				return {kind: 'help'};
			}

			default: {
				return {kind: 'error', message: `unknown command /${name} — /help lists them`};
			}
		}
	} catch (error) {
		return {kind: 'error', message: messageOf(error)};
	}
}
