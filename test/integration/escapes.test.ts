import {connect} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {configFromFlags} from '../../source/config.js';
import {startTestServer, type TestServer} from '../helpers/server.js';
import {readToEnd} from '../helpers/tcp-peer-server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.engine.stop();
	server = undefined;
});

describe('--reply templates with escapes', () => {
	it('answer an HTTP request with a valid response, exact bytes, no line ending added after its own', async () => {
		const flags = configFromFlags({port: '0', greeting: false, reply: [String.raw`^GET (\S+) HTTP/1\.[01]$=>HTTP/1.0 200 OK\r\nContent-Length: 3\r\nX-Path: $1\r\n\r\nok\n`]});
		server = await startTestServer({greeting: false, replyRules: flags.replyRules});
		const socket = connect({port: server.port, host: '127.0.0.1'});
		const got = readToEnd(socket);
		socket.end('GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n');
		expect((await got).toString('latin1')).toBe('HTTP/1.0 200 OK\r\nContent-Length: 3\r\nX-Path: /x\r\n\r\nok\n');
	});

	it('send any byte (\\xNN), and a template without a line ending still gets --eol', async () => {
		const flags = configFromFlags({port: '0', greeting: false, eol: 'crlf', reply: [String.raw`^bin$=>\x00\xff`, '^hi$=>hello']});
		server = await startTestServer({greeting: false, replyRules: flags.replyRules, eol: 'crlf'});
		const socket = connect({port: server.port, host: '127.0.0.1'});
		const got = readToEnd(socket);
		socket.end('bin\nhi\n');
		expect(await got).toEqual(Buffer.concat([Buffer.from([0, 0xFF]), Buffer.from('\r\nhello\r\n')]));
	});
});

describe('--framing len: and delim: on the server', () => {
	it('reads length-prefixed messages and answers in the same framing, without a line ending', async () => {
		const config = configFromFlags({port: '0', framing: 'len:u16be'});
		server = await startTestServer({framing: config.framing, eol: config.eol});
		const socket = connect({port: server.port, host: '127.0.0.1'});
		const got = readToEnd(socket);
		const frame = (text: string): Buffer => Buffer.concat([Buffer.from([0, text.length]), Buffer.from(text)]);
		socket.write(frame('Mich'));
		socket.end(frame('Tracy'));
		expect(await got).toEqual(Buffer.concat([frame('Welcome!'), frame('Hello, Mich!'), frame('Hello, Tracy!')]));
		expect(server.log.of('conn.message').map(event => [event.text, event.skipped])).toEqual([['Mich', '\u0000\u0004'], ['Tracy', '\u0000\u0005']]);
	});

	it('cuts at any delimiter and ends replies with it; --eol with them is refused', async () => {
		const config = configFromFlags({port: '0', framing: 'delim:00'});
		server = await startTestServer({framing: config.framing, eol: config.eol});
		const socket = connect({port: server.port, host: '127.0.0.1'});
		const got = readToEnd(socket);
		socket.end('a b\0c\0');
		expect((await got).toString('latin1')).toBe('Welcome!\0Hello, a b!\0Hello, c!\0');
		expect(() => configFromFlags({framing: 'len:u8', eol: 'crlf'})).toThrow(/--eol does not apply/);
		expect(() => configFromFlags({framing: 'len:u24'})).toThrow(/--framing must be one of line, chunk, len:/);
	});
});
