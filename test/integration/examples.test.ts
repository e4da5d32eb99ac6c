import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {CliProcess, runCliBytes} from '../helpers/cli.js';
import {packageDirectory} from '../helpers/package-path.js';

// The tutorial's programs ship in the package (examples/), and the README's newcomer path runs
// them as written: socket-tui examples, then python3 against socket-tui and the other way round.

const programs = ['http_get.py', 'tcp_client.py', 'tcp_server.py', 'udp_client.py', 'udp_server.py'];

describe('socket-tui examples', () => {
	it('are in the installed package, and `examples DIR` copies them, never over a file that is there', async () => {
		expect(readdirSync(join(packageDirectory, 'examples')).sort()).toEqual(programs);
		const dir = join(mkdtempSync(join(tmpdir(), 'socket-tui-examples-')), 'here');
		const first = await runCliBytes(['examples', dir]);
		expect(first.code).toBe(0);
		expect(readdirSync(dir).sort()).toEqual(programs);
		expect(first.stdout.toString()).toContain(`python3 ${join(dir, 'tcp_server.py')}`);
		writeFileSync(join(dir, 'tcp_client.py'), '# mine\n');
		const again = await runCliBytes(['examples', dir]);
		expect(again.code).toBe(0);
		expect(again.stdout.toString()).toContain('already there, left as they were: ');
		expect(readFileSync(join(dir, 'tcp_client.py'), 'utf8')).toBe('# mine\n');
		expect((await runCliBytes(['examples', dir, 'extra'])).code).toBe(2);
	});

	it('the tutorial\'s TCP and UDP clients talk to socket-tui serve, and connect talks to the tutorial\'s threaded server', async () => {
		const examples = join(packageDirectory, 'examples');
		const serve = new CliProcess(['serve', '--port', '0', '--json']);
		try {
			const {port} = JSON.parse(await serve.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
			await serve.waitForLine(line => line.includes('"udp.listening"'));
			const tcp = spawnSync('python3', [join(examples, 'tcp_client.py'), '127.0.0.1', String(port)], {encoding: 'utf8', timeout: 15_000});
			// Our lines end in \n (--eol lf), and print adds its own.
			expect(tcp.stdout).toBe('Welcome!\n\nHello, Michael!\n\nHello, Tracy!\n\nHello, Sarah!\n\n');
			const udp = spawnSync('python3', [join(examples, 'udp_client.py'), '127.0.0.1', String(port)], {encoding: 'utf8', timeout: 15_000});
			expect(udp.stdout).toBe('Hello, Michael!\nHello, Tracy!\nHello, Sarah!\n');
		} finally {
			serve.child.kill();
			await serve.exited;
		}

		const server = spawn('python3', ['-u', join(examples, 'tcp_server.py'), '127.0.0.1', '0', '--no-sleep'], {stdio: ['ignore', 'pipe', 'inherit']});
		try {
			const port = await new Promise<number>(resolve => {
				server.stdout.on('data', (chunk: Buffer) => {
					const match = /on 127\.0\.0\.1:(\d+)/.exec(chunk.toString());
					if (match) {
						resolve(Number(match[1]));
					}
				});
			});
			const {code, stdout} = await runCliBytes(['connect', `127.0.0.1:${port}`], 'Ann');
			expect(stdout.toString()).toBe('Welcome!Hello, Ann!');
			expect(code).toBe(0);
		} finally {
			server.kill();
		}
	});
});
