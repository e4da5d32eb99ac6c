import {randomBytes} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {connect} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {payloadBytes} from '../../source/protocol/payload.js';
import type {Payload} from '../../source/events.js';
import {CliProcess, runCli} from '../helpers/cli.js';

// What the product writes it can always read back, and any log is read in linear time
// (through the packed CLI).

const dir = mkdtempSync(join(tmpdir(), 'socket-tui-readback-'));

describe('reading logs back', () => {
	it('a 4 MB binary line logged with --max-line 8m replays byte for byte, and --mock and replay --to read the log', async () => {
		const log = join(dir, 'big.ndjson');
		const cli = new CliProcess(['serve', '--port', '0', '--no-udp', '--json', '--max-line', '8m', '--log', log]);
		const {port} = JSON.parse(await cli.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
		const line = Buffer.from(randomBytes(4 * 1024 * 1024).map(byte => (byte === 0x0A ? 0x0B : byte)));
		const socket = connect({port, host: '127.0.0.1'});
		socket.on('data', () => undefined);
		socket.end(Buffer.concat([line, Buffer.from('\n')]));
		await cli.waitForLine(text => text.includes('"conn.close"'));
		cli.child.kill('SIGTERM');
		await cli.exited;

		const replayed = await runCli(['replay', log, '--json']);
		expect(replayed.stderr).toBe('');
		expect(replayed.code).toBe(0);
		const messages = replayed.stdout.split('\n').filter(text => text.includes('"conn.message"')).map(text => JSON.parse(text) as Payload);
		expect(messages).toHaveLength(1);
		expect(payloadBytes(messages[0]!).equals(line)).toBe(true);

		const mock = new CliProcess(['serve', '--mock', log, '--port', '0', '--no-udp', '--json']);
		await mock.waitForLine(text => text.includes('"server.listening"'));
		expect(mock.stderr).not.toMatch(/unexpected failure/);
		mock.child.kill('SIGTERM');
		await mock.exited;
		const to = await runCli(['replay', log, '--to', '127.0.0.1:9', '--json']);
		expect(to.stderr).not.toMatch(/unexpected failure|call stack/);
	});

	it('a log of 40,000 cut lines, each followed by a new run, is read in linear time (it took 12 s at 20,000)', async () => {
		const header = '{"type":"log.header","ts":1,"version":3}';
		const open = '{"type":"server.listening","ts":2,"host":"127.0.0.1","port":9,"family":"IPv4","loopback":true,"backlog":511}';
		const lines = [header, open];
		for (let run = 0; run < 40_000; run++) {
			lines.push('{"type":"conn.open","ts":3,"id":1,"pe', header, open);
		}

		const file = join(dir, 'cut.ndjson');
		writeFileSync(file, `${lines.join('\n')}\n`);
		const {code, stdout, stderr} = await runCli(['replay', file, '--run', '1', '--json']);
		expect(stderr).toMatch(/a line was cut off/);
		expect(code).toBe(0);
		expect(stdout).toContain('"server.listening"');
	}, 15_000);
});
