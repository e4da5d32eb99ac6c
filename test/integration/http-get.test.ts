import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {createServer as createHttpServer, type Server} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createServer as createTcpServer, type AddressInfo} from 'node:net';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {createReadStream, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';

let dir: string;
const servers: Array<{close: () => unknown}> = [];

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'socket-tui-get-'));
});

afterAll(async () => {
	await rm(dir, {recursive: true, force: true});
});

afterEach(() => {
	for (const server of servers.splice(0)) {
		server.close();
	}
});

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
	servers.push(server);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

const binary = Buffer.from(Array.from({length: 70_000}, (_, index) => (index * 7919) % 256));

function app(): Server {
	return createHttpServer((request, response) => {
		switch (request.url) {
			case '/chunked': {
				response.write('Hello, ');
				response.end('chunked world');
				break;
			}

			case '/length': {
				response.setHeader('Content-Length', 5);
				response.end('exact');
				break;
			}

			case '/binary.bin': {
				response.setHeader('Content-Length', binary.length);
				response.end(binary);
				break;
			}

			case '/empty': {
				response.setHeader('Content-Length', 0);
				response.end();
				break;
			}

			case '/moved': {
				response.writeHead(302, {Location: '/length'});
				response.end('see /length');
				break;
			}

			case '/headers': {
				response.end(String(request.headers['x-test']));
				break;
			}

			default: {
				response.writeHead(404);
				response.end('nope');
			}
		}
	});
}

describe('socket-tui get against node:http on loopback', () => {
	it('decodes a chunked body and saves exactly the content', async () => {
		const port = await listen(app());
		const file = join(dir, 'chunked.txt');
		const result = await runCli(['get', `http://127.0.0.1:${port}/chunked`, '-o', file]);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain('Transfer-Encoding: chunked');
		expect(await readFile(file, 'utf8')).toBe('Hello, chunked world');
	});

	it('saves a Content-Length body, a binary body byte for byte, and an empty one', async () => {
		const port = await listen(app());
		const exact = join(dir, 'exact.txt');
		expect((await runCli(['get', `http://127.0.0.1:${port}/length`, '-o', exact])).code).toBe(0);
		expect(await readFile(exact, 'utf8')).toBe('exact');
		const bin = join(dir, 'binary.bin');
		expect((await runCli(['get', `http://127.0.0.1:${port}/binary.bin`, '-o', bin])).code).toBe(0);
		expect((await readFile(bin)).equals(binary)).toBe(true);
		const empty = join(dir, 'empty.txt');
		expect((await runCli(['get', `http://127.0.0.1:${port}/empty`, '-o', empty])).code).toBe(0);
		expect(await readFile(empty, 'utf8')).toBe('');
	});

	it('writes the body alone to stdout with -o -, and sends -H headers', async () => {
		const port = await listen(app());
		const result = await runCli(['get', `http://127.0.0.1:${port}/headers`, '-o', '-', '-H', 'X-Test: sent']);
		expect(result.stdout).toBe('sent');
		expect(result.stderr).toContain('HTTP/1.1 200 OK');
	});

	it('reports a redirect, follows it with -L, and fails on 404 without saving', async () => {
		const port = await listen(app());
		const reported = await runCli(['get', `http://127.0.0.1:${port}/moved`, '-o', join(dir, 'moved.txt')]);
		expect(reported.code).toBe(1);
		expect(reported.stderr).toContain('302 redirect to /length — add -L to follow it');
		const followed = join(dir, 'followed.txt');
		expect((await runCli(['get', '-L', `http://127.0.0.1:${port}/moved`, '-o', followed])).code).toBe(0);
		expect(await readFile(followed, 'utf8')).toBe('exact');
		const missing = await runCli(['get', `http://127.0.0.1:${port}/missing`, '-o', join(dir, 'missing.txt')]);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain('the server answered 404');
		expect(await readdir(dir)).not.toContain('missing.txt');
	});

	it('fetches over TLS with --insecure from a server with a test certificate, and refuses it without', async () => {
		const key = join(dir, 'key.pem');
		const cert = join(dir, 'cert.pem');
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-days', '1'], {stdio: 'ignore'});
		const server = createHttpsServer({key: await readFile(key), cert: await readFile(cert)}, (_request, response) => {
			response.end('secret');
		});
		const port = await listen(server as unknown as Server);
		const refused = await runCli(['get', `https://127.0.0.1:${port}/`, '-o', join(dir, 'tls-refused.txt')]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('--insecure');
		const file = join(dir, 'tls.txt');
		expect((await runCli(['get', '--insecure', `https://127.0.0.1:${port}/`, '-o', file])).code).toBe(0);
		expect(await readFile(file, 'utf8')).toBe('secret');
	});

	it('fails on a peer that closes mid-body, and leaves no file behind', async () => {
		const port = await listen(createTcpServer(socket => {
			let request = '';
			socket.on('data', chunk => {
				request += chunk.toString('latin1');
				// Only once the whole request is in: closing on unread bytes would reset instead.
				if (request.endsWith('\r\n\r\n')) {
					socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a part');
				}
			});
		}));
		const file = join(dir, 'partial.bin');
		const result = await runCli(['get', `http://127.0.0.1:${port}/`, '-o', file]);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('closed the connection after 11 of 1,000 body bytes');
		expect((await readdir(dir)).filter(name => name.includes('partial'))).toEqual([]);
	});

	it('says so in one line for a refused connection or a peer that is not HTTP', async () => {
		const closed = await listen(createTcpServer());
		servers.pop()!.close();
		const refused = await runCli(['get', `http://127.0.0.1:${closed}/`]);
		expect(refused.code).toBe(1);
		expect(refused.stderr.trim()).toBe(`socket-tui: connection refused by 127.0.0.1:${closed} — nothing is listening there; start a server or check the port`);
		const port = await listen(createTcpServer(socket => {
			socket.end('SSH-2.0-OpenSSH_9.2\r\n');
		}));
		const notHttp = await runCli(['get', `http://127.0.0.1:${port}/`, '-o', join(dir, 'x')]);
		expect(notHttp.code).toBe(1);
		expect(notHttp.stderr).toContain('not an HTTP response');
	});

	it('streams a 200 MB body to disk with flat memory', async () => {
		// Big enough that holding it could not hide under the garbage Node's socket reads leave
		// before V8 collects them (tens of MB, whatever the body size).
		const size = 200 * 1024 * 1024;
		const block = Buffer.alloc(64 * 1024, 0x61);
		const port = await listen(createHttpServer((request, response) => {
			if (request.url === '/small') {
				response.end('small');
				return;
			}

			response.setHeader('Content-Length', size);
			let sent = 0;
			const pump = (): void => {
				while (sent < size) {
					sent += block.length;
					if (!response.write(block)) {
						response.once('drain', pump);
						return;
					}
				}

				response.end();
			};

			pump();
		}));
		const file = join(dir, 'big.bin');
		const {CliProcess} = await import('../helpers/cli.js');
		/** Peak resident memory of one `get`, sampled from /proc while it runs. */
		const peakMb = async (path: string, output: string): Promise<number> => {
			const cli = new CliProcess(['get', `http://127.0.0.1:${port}${path}`, '-o', output]);
			let peakKb = 0;
			const sample = setInterval(() => {
				try {
					const status = readFileSync(`/proc/${cli.child.pid}/status`, 'utf8');
					peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
				} catch {
					// The process has exited.
				}
			}, 20);
			const {code} = await cli.exited;
			clearInterval(sample);
			expect(code).toBe(0);
			return peakKb / 1024;
		};

		const big = await peakMb('/big.bin', file);
				const hash = createHash('sha256');
		for await (const chunk of createReadStream(file)) {
			hash.update(chunk as Buffer);
		}

		const expected = createHash('sha256');
		for (let sent = 0; sent < size; sent += block.length) {
			expected.update(block);
		}

		expect(hash.digest('hex')).toBe(expected.digest('hex'));
		// Against the same command fetching almost nothing: the 200 MB body is never held.
		const small = await peakMb('/small', join(dir, 'small.bin'));
		expect(big - small).toBeLessThan(100);
	}, 60_000);
});
