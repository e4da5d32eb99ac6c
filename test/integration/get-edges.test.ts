import {createServer as createHttpServer} from 'node:http';
import {createServer as createTcpServer, type AddressInfo, type Server, type Socket} from 'node:net';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {RawCliProcess, runCliBytes} from '../helpers/cli.js';

let dir: string;
const servers: Array<{close: () => unknown; closeAllConnections?: () => void}> = [];

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'socket-tui-get-edges-'));
});

afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections?.();
		server.close();
	}

	await rm(dir, {recursive: true, force: true});
});

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

/** A server that writes `bytes` on every connection and keeps it open (or closes, with `end`). */
async function rawServer(bytes: string, end = false): Promise<number> {
	const sockets = new Set<Socket>();
	const server = createTcpServer(socket => {
		sockets.add(socket);
		socket.on('error', () => undefined);
		socket.once('data', () => {
			// Latin-1: one byte per character, as a raw server's bytes are.
			if (end) {
				socket.end(bytes, 'latin1');
			} else {
				socket.write(bytes, 'latin1');
			}
		});
	});
	const port = await listen(server);
	servers.push({close: () => {
		for (const socket of sockets) {
			socket.destroy();
		}
	}});
	return port;
}

describe('get reads the heads real servers send', () => {
	it('accepts bare LF line endings in the head (RFC 9112 §2.2)', async () => {
		const port = await rawServer('HTTP/1.1 200 OK\nContent-Length: 5\n\nhello');
		const result = await runCliBytes(['get', `http://127.0.0.1:${port}/`, '-o', '-']);
		expect(result.stdout.toString()).toBe('hello');
		expect(result.code).toBe(0);
	});

	it('accepts a head that mixes CRLF and LF', async () => {
		const port = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 2\n\r\nok');
		const result = await runCliBytes(['get', `http://127.0.0.1:${port}/`, '-o', '-']);
		expect(result.stdout.toString()).toBe('ok');
		expect(result.code).toBe(0);
	});

	it('says what did arrive when a server stalls in the middle of the head', async () => {
		const port = await rawServer('HTTP/1.1 200 OK\r\nContent-Le');
		const result = await runCliBytes(['get', '--timeout', '300', `http://127.0.0.1:${port}/`, '-o', '-']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/response head/);
		expect(result.stderr).toContain('HTTP/1.1 200 OK');
		expect(result.stderr).not.toMatch(/sent nothing/);
	});
});

describe('a closed stdout is a normal end', () => {
	it('get -o - | head -c 10 ends quietly with exit 0', async () => {
		const chunk = Buffer.alloc(64 * 1024, 'x');
		const server = createHttpServer((_request, response) => {
			response.setHeader('Content-Length', chunk.length * 2000);
			const write = (left: number): void => {
				if (left === 0) {
					response.end();
					return;
				}

				if (response.write(chunk)) {
					setImmediate(write, left - 1);
				} else {
					response.once('drain', () => write(left - 1));
				}
			};

			write(2000);
		});
		const port = await listen(server);
		const child = new RawCliProcess(['get', `http://127.0.0.1:${port}/big`, '-o', '-']);
		await child.waitFor(stdout => stdout.length >= 10);
		child.child.stdout.destroy();
		const {code} = await child.exited;
		expect(child.stderr).not.toMatch(/EPIPE|\n\s+at /);
		expect(code).toBe(0);
	});
});

describe('a server never chooses which of your files get writes', () => {
	function redirecting(location: string): ReturnType<typeof createHttpServer> {
		return createHttpServer((request, response) => {
			if (request.url === '/start' || request.url === '/sub') {
				response.writeHead(302, {Location: request.url === '/sub' ? '/sub/' : location, 'Content-Length': 0});
				response.end();
				return;
			}

			response.setHeader('Content-Length', 5);
			response.end('owned');
		});
	}

	it('names the file after the URL typed, not the redirect target', async () => {
		const port = await listen(redirecting('/.profile'));
		const result = await runCliBytes(['get', '-L', `http://127.0.0.1:${port}/start`], '', undefined, dir);
		expect(result.code).toBe(0);
		expect(await readdir(dir)).toEqual(['start']);
	});

	it('takes the redirect\'s name only with --trust-server-names, and never a hidden or path-like one', async () => {
		const port = await listen(redirecting('/.profile'));
		const result = await runCliBytes(['get', '-L', '--trust-server-names', `http://127.0.0.1:${port}/start`], '', undefined, dir);
		expect(result.code).toBe(0);
		const files = await readdir(dir);
		expect(files).toHaveLength(1);
		expect(files[0]!.startsWith('.')).toBe(false);
		expect(await readFile(join(dir, files[0]!), 'utf8')).toBe('owned');
	});

	it('never saves under a blank name', async () => {
		const port = await listen(redirecting('/'));
		const result = await runCliBytes(['get', `http://127.0.0.1:${port}/%20`], '', undefined, dir);
		expect(result.code).toBe(0);
		expect(await readdir(dir)).toEqual(['127.0.0.1.html']);
	});

	it('saves a directory URL (redirected to its / form) as an .html name, and says which', async () => {
		const port = await listen(redirecting('/'));
		const result = await runCliBytes(['get', '-L', `http://127.0.0.1:${port}/sub`], '', undefined, dir);
		expect(result.code).toBe(0);
		expect(await readdir(dir)).toEqual(['127.0.0.1-sub.html']);
		expect(result.stderr).toContain('127.0.0.1-sub.html');
	});
});

describe('messages that say the right thing', () => {
	it('get https:// against a plain HTTP port says so in one line', async () => {
		const port = await listen(createHttpServer((_request, response) => {
			response.end('plain');
		}));
		const result = await runCliBytes(['get', `https://127.0.0.1:${port}/`, '-o', '-']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('did not answer TLS');
		expect(result.stderr).toContain('http://');
		expect(result.stderr).not.toMatch(/wrong version number|ssl3_get_record/);
	});

	it.each([
		[['connect', '--ssl', '127.0.0.1:1'], 'unknown flag --ssl'],
		[['connect', '-e', 'cat', '127.0.0.1:1'], 'unknown flag -e'],
		[['connect', '-l', '127.0.0.1:1'], 'socket-tui serve'],
		[['serve', '-z'], 'does not apply to serve'],
		[['get', '--port', '1', 'http://127.0.0.1/'], 'does not apply to get'],
		[['send-udp', 'tls://127.0.0.1:443', 'x'], 'tls:// cannot be used by send-udp'],
		[['send-udp', 'tcp://127.0.0.1:9', 'x'], 'send-udp sends datagrams'],
		[['connect', '-4', '127.0.0.1:1'], 'unknown flag -4'],
		[['connect', 'openssl:127.0.0.1:443'], 'socat address'],
		[['connect', 'TCP4:127.0.0.1:80'], 'socat address'],
		[['serve', '--no-shutdown'], '--no-shutdown does not apply to serve'],
		[['connect', '-q', 'abc', '127.0.0.1:1'], '-q takes a duration'],
		[['serve', '-p', '9999'], '--port N'],
		[['connect', '-z', '--send-file', 'x', '127.0.0.1:1'], 'does not apply to connect -z'],
		[['connect', '-u', '-C', '127.0.0.1:1'], 'does not apply to connect -u'],
		[['connect', '-u', 'tcp://127.0.0.1:1'], '-u sends datagrams'],
	])('%o is a usage error in the same one-line form, exit 2', async (args, message) => {
		const result = await runCliBytes(args);
		expect(result.code).toBe(2);
		const lines = result.stderr.trim().split('\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^socket-tui: /);
		expect(lines[0]).toContain(message);
		expect(lines[1]).toBe('Run socket-tui --help for usage.');
	});

	it('a busy UDP port with a free TCP port hints at --udp-port and --no-udp', async () => {
		const {createSocket} = await import('node:dgram');
		// A port free for TCP (the OS just gave it out), then taken for UDP; another test's
		// connection can take it for TCP meanwhile, so a few tries.
		let stderr = '';
		for (let attempt = 0; attempt < 5 && !stderr.includes('UDP port'); attempt++) {
			const probe = createTcpServer();
			const port = await new Promise<number>(resolve => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
			await new Promise(resolve => probe.close(resolve));
			const socket = createSocket('udp4');
			const bound = await new Promise<boolean>(resolve => {
				socket.once('error', () => resolve(false));
				socket.bind(port, '127.0.0.1', () => resolve(true));
			});
			if (bound) {
				const result = await runCliBytes(['serve', '--port', String(port)]);
				expect(result.code).toBe(1);
				stderr = result.stderr;
			}

			socket.close();
		}

		expect(stderr).toContain('--udp-port');
		expect(stderr).toContain('--no-udp');
		expect(stderr).not.toContain('--port 0');
	});

	it('says 1 byte, not 1 bytes, when a server stalls after one', async () => {
		const port = await rawServer('H');
		const result = await runCliBytes(['get', '--timeout', '300', `http://127.0.0.1:${port}/`, '-o', '-']);
		expect(result.stderr).toContain('after 1 byte: "H"');
	});

	it('shows a head\'s bytes that are not UTF-8 as \\xNN', async () => {
		const port = await rawServer('HTTP/1.1 200 \u00FF');
		const result = await runCliBytes(['get', '--timeout', '300', `http://127.0.0.1:${port}/`, '-o', '-']);
		expect(result.stderr).toContain('200 \\xff');
	});

	it('counts in the singular when there is one', async () => {
		const {createSocket} = await import('node:dgram');
		const silent = createSocket('udp4');
		await new Promise<void>(resolve => silent.bind(0, '127.0.0.1', resolve));
		try {
			const result = await runCliBytes(['send-udp', '--wait', '200', `127.0.0.1:${silent.address().port}`, 'hello?']);
			expect(result.stderr).toContain('1 of 1 datagram got no reply');
		} finally {
			silent.close();
		}
	});
});

describe('--log', () => {
	it('is created readable by its owner alone, since it holds traffic', async () => {
		const {stat} = await import('node:fs/promises');
		const file = join(dir, 'traffic.ndjson');
		// A datagram to a socket of ours (a port from the OS), with no reply awaited.
		const {createSocket} = await import('node:dgram');
		const sink = createSocket('udp4');
		await new Promise<void>(resolve => sink.bind(0, '127.0.0.1', resolve));
		const result = await runCliBytes(['send-udp', '--wait', '0', '--log', file, `127.0.0.1:${sink.address().port}`, 'x']);
		sink.close();
		expect(result.code).toBe(0);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});

	it('whose reader goes away (a FIFO closed) ends serve quietly with exit 0', async () => {
		const {execFileSync, spawn} = await import('node:child_process');
		const fifo = join(dir, 'log.fifo');
		execFileSync('mkfifo', [fifo]);
		const child = new RawCliProcess(['serve', '--port', '0', '--no-udp', '--log', fifo]);
		// A reader that takes the first bytes and leaves, as `head -c 1` does.
		const reader = spawn('head', ['-c', '1', fifo], {stdio: 'ignore'});
		await new Promise(resolve => reader.once('close', resolve));
		// The next events (a connection) meet the closed FIFO.
		await child.waitFor(stdout => /TCP listening on 127\.0\.0\.1:(\d+)/.test(stdout.toString()));
		const port = Number(/127\.0\.0\.1:(\d+)/.exec(child.stdout.toString())![1]);
		const {connect} = await import('node:net');
		const socket = connect(port, '127.0.0.1', () => socket.end('hi\n'));
		socket.on('error', () => undefined);

		const {code} = await child.exited;
		expect(code).toBe(0);
		expect(child.stderr).toBe('');
	});
});
