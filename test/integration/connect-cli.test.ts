import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CliProcess, runCli} from '../helpers/cli.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

let server: TestServer;
let dir: string;

beforeAll(async () => {
	server = await startTestServer();
	dir = await mkdtemp(join(tmpdir(), 'socket-tui-connect-'));
});

afterAll(async () => {
	await server.engine.stop();
	await rm(dir, {recursive: true, force: true});
});

const timestamp = /^\d\d:\d\d:\d\d\.\d{3} /;

describe('socket-tui connect without a screen', () => {
	it('--send-file --once sends each line after the previous reply and prints the transcript', async () => {
		const file = join(dir, 'script.txt');
		await writeFile(file, 'Michael\nTracy\nSarah\n');
		const result = await runCli(['connect', `127.0.0.1:${server.port}`, '--send-file', file, '--once']);
		expect(result.code).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines.every(line => timestamp.test(line))).toBe(true);
		const transcript = lines.map(line => line.replace(timestamp, '').replace(/ {2}\([\d.]+ ms\)$/, ''));
		expect(transcript).toEqual([
			`connecting to 127.0.0.1:${server.port}…`,
			expect.stringMatching(new RegExp(`^connected to 127.0.0.1:${server.port} in [\\d.]+ ms$`)),
			'← "Welcome!"',
			'→ "Michael"',
			'← "Hello, Michael!"',
			'→ "Tracy"',
			'← "Hello, Tracy!"',
			'→ "Sarah"',
			'← "Hello, Sarah!"',
			expect.stringMatching(/^closed: disconnected · 3 sent, 4 received, \d+ B out, \d+ B in, [\d.]+ s$/),
		]);
	});

	it('puts a positive round-trip time on each reply, in --json too', async () => {
		const file = join(dir, 'one.txt');
		await writeFile(file, 'ping\n');
		const result = await runCli(['connect', `127.0.0.1:${server.port}`, '--send-file', file, '--once', '--json']);
		const events = result.stdout.split('\n').map(line => JSON.parse(line) as {type: string; rttMs?: number; text?: string; summary?: {connectMs: number; bytesIn: number}});
		const reply = events.find(event => event.type === 'client.received' && event.text === 'Hello, ping!')!;
		expect(reply.rttMs).toBeGreaterThan(0);
		expect(events.find(event => event.type === 'client.received' && event.text === 'Welcome!')!.rttMs).toBeUndefined();
		const summary = events.at(-1)!.summary!;
		expect(summary.connectMs).toBeGreaterThan(0);
		expect(summary.bytesIn).toBe('Welcome!\nHello, ping!\n'.length);
	});

	it('with --transcript, prints what stdin sent and the server answered, and exits 0 when the server closes', async () => {
		const cli = new CliProcess(['connect', '--transcript', `127.0.0.1:${server.port}`]);
		cli.child.stdin.end('Michael\nexit\n');
		expect((await cli.exited).code).toBe(0);
		expect(cli.lines.some(line => line.endsWith('← "Hello, Michael!"') || /← "Hello, Michael!" {2}\(/.test(line))).toBe(true);
		expect(cli.lines.at(-1)).toMatch(/closed: connection closed by the server/);
	});

	it('exits 1 on a refused connection, saying so', async () => {
		const closed = await startTestServer({udp: false});
		const {port} = closed;
		await closed.engine.stop();
		const result = await runCli(['connect', '--transcript', `127.0.0.1:${port}`]);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain(`refused: connection refused by 127.0.0.1:${port}`);
	});

	it('exits 2 when --send-file cannot be read', async () => {
		const result = await runCli(['connect', `127.0.0.1:${server.port}`, '--send-file', join(dir, 'missing.txt')]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('cannot read --send-file');
	});
});
