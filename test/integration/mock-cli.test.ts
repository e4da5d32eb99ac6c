import {mkdtempSync, writeFileSync} from 'node:fs';
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
});
