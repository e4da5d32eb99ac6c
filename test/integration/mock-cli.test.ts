import {once} from 'node:events';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {connect, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CliProcess, runCliBytes} from '../helpers/cli.js';
import {Peer} from '../helpers/peer.js';

// serve --mock says when a log cannot drive it, and marks a reply it repeats (through the CLI).

const dir = mkdtempSync(join(tmpdir(), 'socket-tui-mock-cli-'));

/** Resolves once the CLI's stderr matches (stderr and stdout are separate pipes: no order between them). */
async function stderrMatching(cli: CliProcess, pattern: RegExp): Promise<string> {
	return new Promise(resolve => {
		const check = (): void => {
			if (pattern.test(cli.stderr)) {
				cli.child.stderr.off('data', check);
				resolve(cli.stderr);
			}
		};

		cli.child.stderr.on('data', check);
		check();
	});
}

async function serveMock(file: string): Promise<{cli: CliProcess; port: number}> {
	const cli = new CliProcess(['serve', '--mock', file, '--port', '0', '--json']);
	const {port} = JSON.parse(await cli.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
	return {cli, port};
}

describe('serve --mock', () => {
	it('warns at start when a log cannot drive it: a piped client\'s log (several lines per message)', async () => {
		const server = new CliProcess(['serve', '--port', '0', '--no-udp', '--json']);
		const {port} = JSON.parse(await server.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
		const log = join(dir, 'piped.ndjson');
		await runCliBytes(['connect', `127.0.0.1:${port}`, '--log', log], 'Michael\nTracy\nexit\n');
		server.child.kill();
		await server.exited;
		const mock = await serveMock(log);
		await stderrMatching(mock.cli, /several lines \(a piped client's writes\): the mock answers one line at a time/);
		mock.cli.child.kill();
		await mock.cli.exited;

		const empty = join(dir, 'empty.ndjson');
		writeFileSync(empty, `${JSON.stringify({type: 'log.header', ts: 1, version: 3})}\n${JSON.stringify({type: 'conn.open', ts: 2, id: 1, peer: {address: '127.0.0.1', port: 1, family: 'IPv4'}, local: {address: '127.0.0.1', port: 2, family: 'IPv4'}})}\n`);
		const silent = await serveMock(empty);
		await stderrMatching(silent.cli, /holds no answered message and no greeting/);
		silent.cli.child.kill();
		await silent.cli.exited;
	});

	it('marks a reply it sends again once the recording\'s answers are used up, in the log', async () => {
		const lines = [
			{type: 'log.header', ts: 1, version: 3},
			{type: 'conn.open', ts: 1, id: 1, peer: {address: '127.0.0.1', port: 1, family: 'IPv4'}, local: {address: '127.0.0.1', port: 2, family: 'IPv4'}},
			{type: 'conn.message', ts: 2, id: 1, text: 'ping'},
			{type: 'conn.reply', ts: 2, id: 1, kind: 'reply', text: 'pong\n'},
		];
		const file = join(dir, 'ping.ndjson');
		writeFileSync(file, lines.map(line => JSON.stringify(line)).join('\n') + '\n');
		const {cli, port} = await serveMock(file);
		try {
			const peer = await Peer.connect(port);
			peer.write('ping\n');
			await peer.waitForText('pong\n');
			expect(cli.lineValues().some(event => event.type === 'conn.warning')).toBe(false);
			peer.write('ping\n');
			await peer.waitForText('pong\npong\n');
			const warning = JSON.parse(await cli.waitForLine(line => line.includes('"mock-repeat"'))) as {detail: string};
			expect(warning.detail).toBe('--mock: the recording\'s answer to this message is used up; its last one is sent again');
			peer.socket.destroy();
		} finally {
			cli.child.kill();
			await cli.exited;
		}
	});

	it('sends a recorded reply larger than --max-buffer as the peer reads: peers that do not read hold no more than that, a newcomer is greeted at once, a reader gets every byte and then the FIN', async () => {
		const size = 16 * 1024 * 1024;
		const big = `${'x'.repeat(size - 1)}\n`;
		const lines = [
			{type: 'log.header', ts: 1, version: 3},
			{type: 'conn.open', ts: 1, id: 1, peer: {address: '127.0.0.1', port: 1, family: 'IPv4'}, local: {address: '127.0.0.1', port: 2, family: 'IPv4'}},
			{type: 'conn.reply', ts: 1, id: 1, kind: 'welcome', text: 'Welcome!\n'},
			{type: 'conn.message', ts: 2, id: 1, text: 'big'},
			{type: 'conn.reply', ts: 2, id: 1, kind: 'reply', text: big},
		];
		const file = join(dir, 'big.ndjson');
		writeFileSync(file, lines.map(line => JSON.stringify(line)).join('\n') + '\n');
		const cli = new CliProcess(['serve', '--mock', file, '--port', '0', '--no-udp', '--json', '--max-buffer', '64k']);
		const {port} = JSON.parse(await cli.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
		const sockets: Socket[] = [];
		try {
			// Two peers ask for it and never read (their kernel buffers fill, then the server's queue).
			for (const id of [1, 2]) {
				const socket = connect({port, host: '127.0.0.1'});
				socket.on('error', () => undefined);
				sockets.push(socket);
				await once(socket, 'connect');
				socket.pause();
				socket.write('big\n');
				await cli.waitForLine(line => line.includes('"slow-reader"') && line.includes(`"id":${id},`));
			}

			const started = performance.now();
			const newcomer = await Peer.connect(port);
			await newcomer.waitForText('Welcome!\n');
			// Before, every such reply was queued whole and logged at once: 36 s for the 21st peer of 20 × 100 MB.
			expect(performance.now() - started).toBeLessThan(2000);
			newcomer.socket.destroy();

			// A reader that half-closes at once gets the whole reply, then the FIN (not a cut after --linger).
			const reader = connect({port, host: '127.0.0.1'});
			const chunks: Buffer[] = [];
			reader.on('data', chunk => chunks.push(chunk));
			await once(reader, 'connect');
			reader.end('big\n');
			await once(reader, 'end');
			const got = Buffer.concat(chunks);
			expect(got.length).toBe(9 + size);
			expect(got.equals(Buffer.concat([Buffer.from('Welcome!\n'), Buffer.from(big)]))).toBe(true);

			// What the non-readers were given is what the log says went to their sockets: a part of the reply.
			for (const id of [1, 2]) {
				const writes = cli.events().filter(event => event.type === 'conn.write' && event['id'] === id).map(event => event['bytes'] as number);
				expect(writes[1]).toBeLessThanOrEqual(64 * 1024);
				expect(writes.reduce((sum, bytes) => sum + bytes, 0)).toBeLessThan(size / 2);
			}
		} finally {
			for (const socket of sockets) {
				socket.destroy();
			}

			cli.child.kill();
			await cli.exited;
		}
	});
});
