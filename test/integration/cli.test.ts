import {readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {CliProcess, cliPath, nodePath, runCli} from '../helpers/cli.js';
import {Peer} from '../helpers/peer.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

const running: CliProcess[] = [];
let server: TestServer | undefined;

afterEach(async () => {
	for (const cli of running.splice(0)) {
		cli.child.kill('SIGKILL');
	}

	await server?.engine.stop();
	server = undefined;
});

function serve(args: readonly string[]): CliProcess {
	const cli = new CliProcess(['serve', '--json', '--port', '0', ...args]);
	running.push(cli);
	return cli;
}

async function listeningPort(cli: CliProcess): Promise<number> {
	await cli.waitForLine(line => line.includes('"udp.listening"') || line.includes('"server.listening"'));
	expect(JSON.parse(cli.lines[0]!)).toMatchObject({type: 'log.header', version: 3});
	const first = JSON.parse(cli.lines[1]!) as {type: string; port: number};
	expect(first.type).toBe('server.listening');
	return first.port;
}

describe('socket-tui serve --json', () => {
	it('prints the listening event with the real port first, then every step of a connection, and exits 0 on SIGTERM', async () => {
		const cli = serve([]);
		const port = await listeningPort(cli);
		expect(port).toBeGreaterThan(0);
		const peer = await Peer.connect(port);
		const peerPort = peer.socket.localPort;
		peer.write('Michael\nexit\n');
		await peer.waitForClose();
		await cli.waitForLine(line => line.includes('"conn.close"'));
		const types = cli.events().map(event => event.type);
		expect(types.slice(0, 3)).toEqual(['log.header', 'server.listening', 'udp.listening']);
		for (const type of ['conn.open', 'conn.read', 'conn.message', 'conn.reply', 'conn.write', 'conn.close']) {
			expect(types).toContain(type);
		}

		// Michael's read, line, reply and write are one line of the log (version 3), unfolded above.
		expect(cli.lineValues().find(line => line.type === 'conn.exchange')).toMatchObject({text: 'Michael', reply: 'Hello, Michael!\n', bytes: 13});

		const open = cli.events().find(event => event.type === 'conn.open')!;
		expect(open['peer']).toMatchObject({address: '127.0.0.1', port: peerPort});
		cli.child.kill('SIGTERM');
		expect((await cli.exited).code).toBe(0);
		const closing = cli.events().map(event => event.type).slice(-2).sort();
		expect(closing).toEqual(['server.closed', 'udp.closed']);
	});

	it('closes open connections with reason shutdown on SIGINT', async () => {
		const cli = serve([]);
		const port = await listeningPort(cli);
		const peer = await Peer.connect(port);
		await peer.waitForText('Welcome!');
		cli.child.kill('SIGINT');
		expect((await cli.exited).code).toBe(0);
		const close = cli.events().find(event => event.type === 'conn.close');
		expect(close?.['reason']).toBe('shutdown');
		await peer.waitForClose();
	});

	it('writes the same events to --log FILE', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'socket-tui-'));
		try {
			const file = join(dir, 'events.ndjson');
			const cli = serve(['--log', file, '--no-udp']);
			const port = await listeningPort(cli);
			const peer = await Peer.connect(port);
			peer.write('hi\n');
			await peer.waitForText('Hello, hi!');
			cli.child.kill('SIGTERM');
			await cli.exited;
			const logged = readFileSync(file, 'utf8').trim().split('\n').map(line => (JSON.parse(line) as {type: string}).type);
			expect(logged).toEqual(cli.lineValues().map(event => event.type));
			expect(logged).not.toContain('udp.listening');
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
});

describe('socket-tui when nobody reads its output', () => {
	it('stops cleanly when stdout is closed under it (| head -1), exit 0, log complete', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'socket-tui-'));
		try {
			const file = join(dir, 'events.ndjson');
			const cli = serve(['--log', file]);
			const port = await listeningPort(cli);
			cli.child.stdout.destroy();
			// Its next events have nowhere to go.
			const peer = await Peer.connect(port);
			peer.socket.on('close', () => undefined);
			const {code} = await cli.exited;
			expect(cli.stderr).toBe('');
			expect(code).toBe(0);
			const logged = readFileSync(file, 'utf8').trim().split('\n').map(line => (JSON.parse(line) as {type: string}).type);
			expect(logged).toContain('server.closed');
		} finally {
			await rm(dir, {recursive: true, force: true});
		}
	});
});

describe('socket-tui failures', () => {
	it('reports an uncaught exception in a handler in one line, closes its sockets, and exits 1', async () => {
		const {spawn} = await import('node:child_process');
		const {fileURLToPath} = await import('node:url');
		const harness = fileURLToPath(new URL('../fixtures/crash-after-first-output.js', import.meta.url));
		const child = spawn(nodePath, ['--import', harness, cliPath, 'serve', '--json', '--port', '0'], {stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => {
			stdout += String(chunk);
		});
		child.stderr.on('data', chunk => {
			stderr += String(chunk);
		});
		const code = await new Promise(resolve => child.on('close', resolve));
		expect(code).toBe(1);
		expect(stderr).toBe('socket-tui: unexpected failure: boom in a handler\n');
		expect(stdout).toContain('"server.closed"');
	});

	it('says a port is in use in one line and exits 1', async () => {
		server = await startTestServer();
		const result = await runCli(['serve', '--json', '--port', String(server.port)]);
		expect(result.code).toBe(1);
		expect(result.stderr.trim()).toBe(`socket-tui: TCP port ${server.port} is already in use (TCP 127.0.0.1:${server.port}) — try --port 0 for any free port, or another --port`);
	});

	it('names an unknown host', async () => {
		const result = await runCli(['serve', '--host', 'no-such-host.invalid', '--port', '0']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('cannot resolve host "no-such-host.invalid"');
		expect(result.stderr).not.toContain('    at ');
	});

	it.each([
		[['--port', 'abc'], '--port must be a number'],
		[['serve', '--framing', 'words'], '--framing must be one of line, chunk'],
		[['connect'], 'connect needs HOST:PORT'],
		[['connect', '::1:80'], 'needs brackets'],
		[['frobnicate'], 'unknown command "frobnicate"'],
		[['send-udp'], 'send-udp needs HOST:PORT'],
	])('exits 2 with one clear line for %o', async (args, message) => {
		const result = await runCli(args);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain(message);
	});

	it('rejects an unknown flag with exit 2', async () => {
		const result = await runCli(['--bogus']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--bogus');
	});

	it('prints --version and --help', async () => {
		const version = await runCli(['--version']);
		expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
		const help = await runCli(['--help']);
		expect(help.stdout).toContain('socket-tui send-udp HOST:PORT');
		expect(help.code).toBe(0);
	});
});

describe('socket-tui send-udp', () => {
	it('sends each message and prints each reply', async () => {
		server = await startTestServer();
		const result = await runCli(['send-udp', `127.0.0.1:${server.port}`, 'Michael', 'Tracy', 'Sarah']);
		expect(result.stdout).toBe('Hello, Michael!\nHello, Tracy!\nHello, Sarah!');
		expect(result.code).toBe(0);
	});

	it('says so and exits 1 when nothing answers', async () => {
		server = await startTestServer({udp: false});
		const result = await runCli(['send-udp', '--wait', '300', `127.0.0.1:${server.port}`, 'anyone?']);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/nothing is listening on UDP|no reply/);
	});
});
