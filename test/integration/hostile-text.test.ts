import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCliBytes} from '../helpers/cli.js';

// Text from a proxy or a log file reaches a terminal only escaped, on every output (through the
// packed CLI): no title, no clipboard, no cleared screen.

// ESC, BEL, C1 CSI (U+009B), a bidi override: what a hostile peer or file would use.
const raw = /[\u0007\u001B\u009B\u202E]/;
const hostile = '\u001B]0;TITLE\u0007\u001B]52;c;Y2xpcA==\u0007\u001B[2J\u009B31m\u202E';

const closers: Array<() => void> = [];
afterEach(() => {
	for (const close of closers.splice(0)) {
		close();
	}
});

describe('hostile text', () => {
	it('a proxy\'s 407 reason is shown escaped by connect and get, piped or verbose', async () => {
		const proxy = createServer(socket => {
			socket.on('error', () => undefined);
			socket.once('data', () => {
				socket.end(`HTTP/1.1 407 ${hostile}\r\nProxy-Authenticate: Basic\r\n\r\n`);
			});
		});
		await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
		closers.push(() => proxy.close());
		const url = `http://127.0.0.1:${(proxy.address() as {port: number}).port}`;
		for (const args of [['connect', '127.0.0.1:9', '--proxy', url], ['connect', '127.0.0.1:9', '-v', '--proxy', url], ['get', 'https://127.0.0.1:9/', '--proxy', url], ['get', 'http://127.0.0.1:9/', '--proxy', url]]) {
			const {code, stdout, stderr} = await runCliBytes(args);
			expect(code, args.join(' ')).not.toBe(0);
			expect(stderr, args.join(' ')).not.toMatch(raw);
			expect(stdout.toString('latin1'), args.join(' ')).not.toMatch(raw);
			if (args[1] === 'https://127.0.0.1:9/' || args[0] === 'connect') {
				expect(stderr, args.join(' ')).toContain('407 \\e]0;TITLE\\x07');
			}
		}
	});

	it('a log whose fields hold escapes (an address, a reason, an error, a subject) replays escaped: piped, --explain, --json', async () => {
		const peer = {address: `127.0.0.1${hostile}`, port: 5, family: 'IPv4'};
		const lines = [
			{type: 'log.header', ts: 1, version: 3},
			{type: 'server.listening', ts: 2, host: `127.0.0.1${hostile}`, port: 9, family: 'IPv4', loopback: true, backlog: 511},
			{type: 'conn.open', ts: 3, id: 1, peer, local: {address: '127.0.0.1', port: 9, family: 'IPv4'}, tls: {protocol: 'TLSv1.3', cipher: 'x', handshakeMs: 1, authorized: false, subject: `CN=${hostile}`}},
			{type: 'conn.message', ts: 4, id: 1, text: `hi${hostile}`},
			{type: 'conn.warning', ts: 5, id: 1, kind: 'idle', detail: hostile},
			{type: 'conn.close', ts: 6, id: 1, reason: `eof${hostile}`, error: hostile, bytesIn: 3, bytesOut: 0, messagesIn: 1, durationMs: 3},
			{type: 'udp.datagram', ts: 7, peer, bytes: 2, text: 'hi'},
		];
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-hostile-')), 'hostile.ndjson');
		writeFileSync(file, lines.map(line => JSON.stringify(line)).join('\n') + '\n');
		for (const extra of [[], ['--explain'], ['--json']]) {
			const {code, stdout, stderr} = await runCliBytes(['replay', file, ...extra]);
			expect(stderr, extra.join(' ')).toBe('');
			expect(code).toBe(0);
			expect(stdout.toString('utf8'), extra.join(' ')).not.toMatch(raw);
			expect(stdout.toString('utf8'), extra.join(' ')).toMatch(/127\.0\.0\.1.*\\(e|u001b)\]0;TITLE/);
			if (extra[0] === '--json') {
				// JSON's own escapes: the data is the log's, byte for byte, only written safely.
				const open = stdout.toString('utf8').split('\n').map(line => (line.startsWith('{') ? JSON.parse(line) as {type: string; peer?: {address: string}} : undefined)).find(event => event?.type === 'conn.open');
				expect(open?.peer?.address).toBe(peer.address);
			}
		}
	});
});
