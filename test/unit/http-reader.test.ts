import {describe, expect, it} from 'vitest';
import {ChunkedDecoder, HttpProtocolError} from '../../source/net/http/chunked-decoder.js';
import {ResponseReader, type ResponseHead} from '../../source/net/http/response-reader.js';
import {defaultFileName, parseHeaderFlag, parseTarget} from '../../source/net/http/target.js';

function read(response: string | Buffer, cut: number, raw = false): {head: ResponseHead | undefined; body: string; complete: boolean} {
	const bytes = Buffer.isBuffer(response) ? response : Buffer.from(response, 'latin1');
	const parts: Buffer[] = [];
	const reader = new ResponseReader(() => undefined, part => parts.push(part), raw);
	reader.push(bytes.subarray(0, cut));
	reader.push(bytes.subarray(cut));
	return {head: reader.head, body: Buffer.concat(parts).toString('latin1'), complete: reader.complete};
}

const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nHello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n';

describe('ResponseReader', () => {
	it('decodes a chunked body the same wherever the stream is cut (extensions and trailers too)', () => {
		for (let cut = 0; cut <= chunked.length; cut++) {
			const {head, body, complete} = read(chunked, cut);
			expect(head?.status, `cut ${cut}`).toBe(200);
			expect(body, `cut ${cut}`).toBe('Hello, world');
			expect(complete, `cut ${cut}`).toBe(true);
		}
	});

	it('keeps the chunk framing with raw, as the tutorial saves it', () => {
		const {body} = read(chunked, 10, true);
		expect(body).toBe('5;name=value\r\nHello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n');
	});

	it('stops at Content-Length and skips 100 Continue', () => {
		const {head, body, complete} = read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcEXTRA', 30);
		expect(head?.lines[0]).toBe('HTTP/1.1 200 OK');
		expect(body).toBe('abc');
		expect(complete).toBe(true);
	});

	it('reads until close without a length, and has no body for 204', () => {
		expect(read('HTTP/1.0 200 OK\r\n\r\nall of it', 5).complete).toBe(false);
		expect(read('HTTP/1.1 204 No Content\r\n\r\n', 5).complete).toBe(true);
	});

	it('says what is wrong with a malformed response', () => {
		expect(() => read('SSH-2.0-OpenSSH\r\n', 3)).toThrow('not an HTTP response');
		expect(() => read('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', 3)).toThrow('bad header line');
		expect(() => read('HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n', 3)).toThrow('bad Content-Length');
		expect(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 3)).toThrow(HttpProtocolError);
	});
});

describe('ChunkedDecoder', () => {
	it('rejects data longer than its chunk size', () => {
		const decoder = new ChunkedDecoder(() => undefined);
		expect(() => decoder.push(Buffer.from('2\r\nabc\r\n'))).toThrow('longer than its size');
	});
});

describe('targets', () => {
	it('parses URLs, IPv6 literals and default ports, and names the file', () => {
		const v6 = parseTarget('http://[::1]:8080/files/a.bin?x=1');
		expect(v6).toMatchObject({host: '::1', port: 8080, path: '/files/a.bin?x=1', hostHeader: '[::1]:8080', tls: false});
		expect(defaultFileName(v6)).toBe('a.bin');
		const root = parseTarget('https://example.com');
		expect(root).toMatchObject({port: 443, path: '/', tls: true});
		expect(defaultFileName(root)).toBe('example.com.html');
		expect(parseTarget('example.com/x').url.protocol).toBe('http:');
		expect(() => parseTarget('ftp://example.com/')).toThrow('only http:// and https://');
	});

	it('accepts -H Name: value and refuses header smuggling', () => {
		expect(parseHeaderFlag('X-Test: 1')).toEqual(['X-Test', '1']);
		expect(() => parseHeaderFlag('X-Test 1')).toThrow('-H takes');
		expect(() => parseHeaderFlag('X: a\r\nEvil: b')).toThrow('-H takes');
	});
});
