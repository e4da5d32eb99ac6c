import {mkdtempSync, writeFileSync} from 'node:fs';
import {connect, createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {connect as connectTls, createServer as createTlsServer} from 'node:tls';
import {afterEach, describe, expect, it} from 'vitest';
import {CliProcess} from '../helpers/cli.js';
import {testCertificate} from '../helpers/tls-server.js';

// One peer's fault stays in its row: the packed CLI's relay, each leg reset or unreachable, keeps
// serving the others, and passes a reset on as a reset (never as a clean FIN).

const dir = mkdtempSync(join(tmpdir(), 'socket-tui-relay-faults-'));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) {
		await cleanup();
	}
});

/** An upstream that answers `ok\n` to a line, and resets (SO_LINGER 0) the connection on `x\n`. */
async function resettingUpstream(listen: (server: Server) => void): Promise<Server> {
	const server = createServer(socket => {
		socket.on('error', () => undefined);
		socket.on('data', (chunk: Buffer) => {
			if (!chunk.toString().includes('x\n')) {
				socket.write('ok\n');
			} else if (socket.remoteAddress === undefined) {
				socket.destroy(); // A Unix socket has no reset.
			} else {
				socket.resetAndDestroy();
			}
		});
	});
	await new Promise<void>(resolve => {
		server.once('listening', resolve);
		listen(server);
	});
	cleanups.push(() => server.close());
	return server;
}

async function relay(args: string[]): Promise<{cli: CliProcess; port: number}> {
	const cli = new CliProcess(['relay', ...args, '--port', '0', '--json']);
	cleanups.push(async () => {
		cli.child.kill();
		await cli.exited;
	});
	const listening = JSON.parse(await cli.waitForLine(line => line.includes('"relay.listening"'))) as {port: number};
	return {cli, port: listening.port};
}

/** How a client's connection ended: the error code it saw (ECONNRESET), or `end` for a FIN. */
async function ending(socket: Socket): Promise<string> {
	return new Promise(resolve => {
		socket.on('error', (error: NodeJS.ErrnoException) => {
			resolve(error.code ?? error.message);
		});
		socket.on('end', () => {
			resolve('end');
		});
		socket.resume();
	});
}

async function plainClientWorks(port: number): Promise<void> {
	const socket = connect({port, host: '127.0.0.1'});
	socket.write('hello\n');
	const line = await new Promise<string>((resolve, reject) => {
		socket.once('error', reject);
		socket.once('data', (chunk: Buffer) => {
			resolve(chunk.toString());
		});
	});
	socket.destroy();
	expect(line).toBe('ok\n');
}

describe('relay, a leg reset or unreachable', () => {
	it('relay --tls: an upstream reset resets the TLS client\'s TCP connection, and the relay keeps serving', async () => {
		const {cert, key} = await testCertificate();
		writeFileSync(join(dir, 'c.pem'), cert);
		writeFileSync(join(dir, 'k.pem'), key);
		const upstream = await resettingUpstream(server => server.listen(0, '127.0.0.1'));
		const {cli, port} = await relay([`127.0.0.1:${(upstream.address() as {port: number}).port}`, '--tls', '--cert', join(dir, 'c.pem'), '--key', join(dir, 'k.pem')]);
		for (let round = 0; round < 3; round++) {
			const client = connectTls({port, host: '127.0.0.1', rejectUnauthorized: false});
			const ended = ending(client);
			await new Promise(resolve => client.once('secureConnect', resolve));
			client.write('x\n');
			expect(await ended).toBe('ECONNRESET');
		}

		const tls = connectTls({port, host: '127.0.0.1', rejectUnauthorized: false});
		tls.write('hello\n');
		expect(await new Promise<string>(resolve => tls.once('data', (chunk: Buffer) => resolve(chunk.toString())))).toBe('ok\n');
		tls.destroy();
		expect(cli.child.exitCode).toBe(null);
		expect(cli.stderr).not.toMatch(/unexpected failure/);
		await cli.waitForLine(line => cli.lineValues().filter(event => event.type === 'relay.close').length >= 3 && line.includes('relay.close'));
		const closes = cli.lineValues().filter(event => event.type === 'relay.close');
		expect(closes.slice(0, 3).map(event => event['reason'])).toEqual(['upstream-reset', 'upstream-reset', 'upstream-reset']);
	});

	it('a plain client is reset too when the upstream resets; a Unix upstream that resets is a close, and the relay keeps serving', async () => {
		const tcp = await resettingUpstream(server => server.listen(0, '127.0.0.1'));
		const {port} = await relay([`127.0.0.1:${(tcp.address() as {port: number}).port}`]);
		const client = connect({port, host: '127.0.0.1'});
		const ended = ending(client);
		client.write('x\n');
		expect(await ended).toBe('ECONNRESET');
		await plainClientWorks(port);

		const path = join(dir, 'up.sock');
		await resettingUpstream(server => server.listen(path));
		const unix = await relay([`unix:${path}`]);
		const viaUnix = connect({port: unix.port, host: '127.0.0.1'});
		const unixEnded = ending(viaUnix);
		viaUnix.write('x\n');
		expect(['ECONNRESET', 'end']).toContain(await unixEnded);
		await plainClientWorks(unix.port);
		expect(unix.cli.child.exitCode).toBe(null);
	});

	it('an upstream that refuses: the client, which has sent nothing, is reset at once (not a FIN)', async () => {
		const probe = createServer();
		await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
		const deadPort = (probe.address() as {port: number}).port;
		await new Promise(resolve => probe.close(resolve));
		for (const upstream of [`127.0.0.1:${deadPort}`, `tls://127.0.0.1:${deadPort}`, `unix:${join(dir, 'nobody.sock')}`]) {
			const {cli, port} = await relay([upstream]);
			const client = connect({port, host: '127.0.0.1'});
			expect(await ending(client), upstream).toBe('ECONNRESET');
			const close = JSON.parse(await cli.waitForLine(line => line.includes('"relay.close"'))) as {reason: string};
			expect(close.reason, upstream).toBe('refused');
		}
	});
});

describe('relay --rewrite, bounded', () => {
	it('rules that would grow a message past --max-held, or read it over and over, send it as it came, marked, and the relay lives on (and answers others at once)', async () => {
		const received: Buffer[] = [];
		const upstream = createServer(socket => {
			socket.on('data', (chunk: Buffer) => {
				received.push(chunk);
				socket.write('ok\n');
			});
		});
		await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
		cleanups.push(() => upstream.close());
		const rules = Array.from({length: 24}, () => ['--rewrite', 'up:a=>aa']).flat();
		const {cli, port} = await relay([`127.0.0.1:${(upstream.address() as {port: number}).port}`, ...rules]);
		const line = `${'a'.repeat(65)}\n`;
		const client = connect({port, host: '127.0.0.1'});
		client.write(line);
		await new Promise(resolve => client.once('data', resolve));
		expect(Buffer.concat(received).toString()).toBe(line);
		const data = JSON.parse(await cli.waitForLine(text => text.includes('"relay.data"') && text.includes('"client"'))) as {notRewritten?: {rule: string; maxBytes: number}};
		// Stopped by the work budget first: the rules would read 4× the line and 64 K more.
		expect(data.notRewritten).toEqual({rule: 'up:a=>aa', maxBytes: 1024 * 1024, work: true});
		// Twenty such lines no longer hold the others for seconds (12.8 s before the work budget;
		// ~0.4 s now, alone on the machine: the bound leaves room for a loaded CI).
		client.write(line.repeat(20));
		const started = performance.now();
		await plainClientWorksThrough(port);
		expect(performance.now() - started).toBeLessThan(5000);
		client.destroy();
	});
});

async function plainClientWorksThrough(port: number): Promise<void> {
	const socket = connect({port, host: '127.0.0.1'});
	socket.write('b\n');
	await new Promise((resolve, reject) => {
		socket.once('error', reject);
		socket.once('data', resolve);
	});
	socket.destroy();
}

describe('relay tls://UP --tls is transparent for ALPN', () => {
	async function files(): Promise<{cert: string; key: string; certFile: string; keyFile: string}> {
		const {cert, key} = await testCertificate();
		writeFileSync(join(dir, 'alpn-c.pem'), cert);
		writeFileSync(join(dir, 'alpn-k.pem'), key);
		return {cert, key, certFile: join(dir, 'alpn-c.pem'), keyFile: join(dir, 'alpn-k.pem')};
	}

	it('dials the upstream with exactly the client\'s ALPN offer and gives the client the upstream\'s choice (an h2-only upstream works)', async () => {
		const {cert, key, certFile, keyFile} = await files();
		const offers: string[][] = [];
		const upstream = createTlsServer({cert, key, ALPNCallback: ({protocols}) => {
			offers.push(protocols);
			return protocols.includes('h2') ? 'h2' : undefined;
		}}, socket => {
			socket.end(`alpn ${String(socket.alpnProtocol)}\n`);
		});
		await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
		cleanups.push(() => upstream.close());
		const {port} = await relay([`tls://127.0.0.1:${(upstream.address() as {port: number}).port}`, '--insecure', '--tls', '--cert', certFile, '--key', keyFile]);
		// An h2-only upstream: h2 when offered, no ALPN when none is offered, refused otherwise.
		for (const [offer, chosen] of [[['h2', 'http/1.1'], 'h2'], [undefined, false]] as const) {
			const client = connectTls({port, host: '127.0.0.1', rejectUnauthorized: false, ...(offer === undefined ? {} : {ALPNProtocols: [...offer]})});
			await new Promise((resolve, reject) => {
				client.once('secureConnect', resolve);
				client.once('error', reject);
			});
			expect(client.alpnProtocol, String(offer)).toBe(chosen);
			const answer = await new Promise<string>(resolve => client.once('data', (chunk: Buffer) => resolve(chunk.toString())));
			expect(answer).toBe(`alpn ${String(chosen)}\n`);
			client.destroy();
		}

		// The upstream refuses http/1.1 alone: so does the relay, at once (no protocol the client did not offer).
		const refused = connectTls({port, host: '127.0.0.1', rejectUnauthorized: false, ALPNProtocols: ['http/1.1']});
		expect(await ending(refused)).toBe('ECONNRESET');
		expect(offers).toEqual([['h2', 'http/1.1'], ['http/1.1']]);
	});

	it('resets the TLS client when the upstream cannot be reached', async () => {
		const {certFile, keyFile} = await files();
		const probe = createServer();
		await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
		const deadPort = (probe.address() as {port: number}).port;
		await new Promise(resolve => probe.close(resolve));
		const {cli, port} = await relay([`tls://127.0.0.1:${deadPort}`, '--tls', '--cert', certFile, '--key', keyFile]);
		const client = connectTls({port, host: '127.0.0.1', rejectUnauthorized: false, ALPNProtocols: ['h2']});
		expect(await ending(client)).toBe('ECONNRESET');
		const close = JSON.parse(await cli.waitForLine(line => line.includes('"relay.close"'))) as {reason: string};
		expect(close.reason).toBe('refused');
	});
});

describe('serve and connect, a leg reset', () => {
	it('serve --tls: a TLS client whose TCP connection is reset is a row closed as reset, and the next client is greeted', async () => {
		const cli = new CliProcess(['serve', '--tls', '--port', '0', '--no-udp', '--json']);
		cleanups.push(async () => {
			cli.child.kill();
			await cli.exited;
		});
		const {port} = JSON.parse(await cli.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
		const raw = connect({port, host: '127.0.0.1'});
		const tls = connectTls({socket: raw, rejectUnauthorized: false});
		tls.on('error', () => undefined);
		await new Promise(resolve => tls.once('secureConnect', resolve));
		tls.write('Ann\n');
		await new Promise(resolve => tls.once('data', resolve));
		raw.resetAndDestroy();
		const close = JSON.parse(await cli.waitForLine(line => line.includes('"conn.close"'))) as {reason: string};
		expect(close.reason).toBe('reset');
		const next = connectTls({port, host: '127.0.0.1', rejectUnauthorized: false});
		const greeting = await new Promise<string>(resolve => next.once('data', (chunk: Buffer) => resolve(chunk.toString())));
		expect(greeting).toBe('Welcome!\n');
		next.destroy();
		expect(cli.stderr).not.toMatch(/unexpected failure/);
	});

	it('connect through a SOCKS5 proxy whose target resets mid-conversation: the bytes that came, the reset said (or a clean end), never an unexpected failure', async () => {
		const {startSocks5Server} = await import('../helpers/socks5-server.js');
		const target = createServer(socket => {
			socket.on('error', () => undefined);
			socket.write('hello\n');
			socket.once('data', () => {
				socket.resetAndDestroy();
			});
		});
		await new Promise<void>(resolve => target.listen(0, '127.0.0.1', resolve));
		cleanups.push(() => target.close());
		const socks = await startSocks5Server();
		cleanups.push(socks.close);
		const {runCliBytes} = await import('../helpers/cli.js');
		const {code, stdout, stderr} = await runCliBytes(['connect', `127.0.0.1:${(target.address() as {port: number}).port}`, '--proxy', `socks5://127.0.0.1:${socks.port}`, '--no-shutdown'], 'x\n');
		expect(stdout.toString()).toBe('hello\n');
		expect(stderr).not.toMatch(/unexpected failure/);
		// The reset reaches us as a reset (exit 1, said) in most runs; in about one in six (under
		// load) the proxy's side of it arrives as a clean end (exit 0). Either way: nothing else.
		expect(code === 1 ? /reset/.test(stderr) : code === 0 && stderr === '', `exit ${code}: ${stderr}`).toBe(true);
	});
});

describe('relay udp://, an upstream that answers ICMP port unreachable', () => {
	it('closes that client\'s pair as refused and keeps serving: each new client is told the same, nothing else breaks', async () => {
		const {createSocket} = await import('node:dgram');
		const probe = createSocket('udp4');
		await new Promise<void>(resolve => probe.bind(0, '127.0.0.1', resolve));
		const deadPort = probe.address().port;
		await new Promise<void>(resolve => probe.close(() => resolve()));
		const cli = new CliProcess(['relay', `udp://127.0.0.1:${deadPort}`, '--port', '0', '--json']);
		cleanups.push(async () => {
			cli.child.kill();
			await cli.exited;
		});
		const {port} = JSON.parse(await cli.waitForLine(line => line.includes('"relay.listening"'))) as {port: number};
		for (let client = 0; client < 3; client++) {
			const socket = createSocket('udp4');
			await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve));
			socket.send('ping', port, '127.0.0.1');
			await cli.waitForLine(() => cli.lineValues().filter(event => event.type === 'relay.close' && event['reason'] === 'refused').length > client);
			socket.close();
		}

		expect(cli.child.exitCode).toBe(null);
		expect(cli.stderr).not.toMatch(/unexpected failure/);
	});
});
