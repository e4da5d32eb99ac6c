import {readdirSync, readFileSync} from 'node:fs';
import {connect} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {configFromFlags} from '../../source/config.js';
import {splitCommand} from '../../source/net/exec-bridge.js';
import {CliProcess} from '../helpers/cli.js';
import {startTestServer, type TestServer} from '../helpers/server.js';
import {readToEnd} from '../helpers/tcp-peer-server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.engine.stop();
	server = undefined;
});

async function execServer(flags: {exec?: string; shExec?: string}): Promise<TestServer> {
	const {exec} = configFromFlags({port: '0', ...flags});
	server = await startTestServer({exec, udp: false});
	return server;
}

describe('serve --exec / --sh-exec', () => {
	it('joins each connection to its own cat: bytes exact both ways, the end passed on, pid and exit status logged', async () => {
		const {port, log} = await execServer({exec: 'cat'});
		const bytes = Buffer.from([0, 1, 2, 0xFF, 0x0A, 0x41]);
		const socket = connect({port, host: '127.0.0.1'});
		const got = readToEnd(socket);
		socket.end(bytes);
		expect(await got).toEqual(bytes);
		const exec = await log.waitFor('conn.exec');
		expect(exec).toMatchObject({command: 'cat', shell: false});
		expect(exec.pid).toBeGreaterThan(0);
		expect(await log.waitFor('conn.exit')).toMatchObject({code: 0, signal: null});
		expect((await log.waitFor('conn.close')).reason).toBe('program-exit');
		expect(log.of('conn.reply').every(event => event.kind === 'program')).toBe(true);
	});

	it('ends the connection when the program exits early, its stderr to the log, not to the peer', async () => {
		const {port, log} = await execServer({shExec: 'echo hello; echo oops >&2; exit 3'});
		const socket = connect({port, host: '127.0.0.1'});
		socket.on('error', () => undefined);
		expect((await readToEnd(socket)).toString()).toBe('hello\n');
		expect(await log.waitFor('conn.exit')).toMatchObject({code: 3});
		expect((await log.waitFor('conn.stderr')).text).toBe('oops\n');
	});

	it('kills the program when the peer goes away (and at shutdown), and says when a program cannot start', async () => {
		const {port, log} = await execServer({exec: 'sleep 30'});
		const socket = connect({port, host: '127.0.0.1'});
		socket.on('error', () => undefined);
		await log.waitFor('conn.exec');
		// Gone (a reset): a FIN alone would only close the program's stdin, as with ncat -e.
		socket.resetAndDestroy();
		expect((await log.waitFor('conn.exit')).signal).toBe('SIGTERM');
		await server!.engine.stop();

		// A program that is there but cannot start (its interpreter is missing): told per connection.
		const {mkdtempSync, writeFileSync, chmodSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		const script = join(mkdtempSync(join(tmpdir(), 'socket-tui-exec-')), 'broken.sh');
		writeFileSync(script, '#!/no/such/interpreter\n');
		chmodSync(script, 0o755);
		const missing = await execServer({exec: script});
		const second = connect({port: missing.port, host: '127.0.0.1'});
		second.on('error', () => undefined);
		await readToEnd(second);
		expect((await missing.log.waitFor('conn.exit')).error).toMatch(/ENOENT/);
		await missing.engine.stop();

		// At shutdown: every connection's program is stopped with it.
		const third = await execServer({exec: 'sleep 30'});
		const held = connect({port: third.port, host: '127.0.0.1'});
		held.on('error', () => undefined);
		await third.log.waitFor('conn.exec');
		await third.engine.stop();
		expect((await third.log.waitFor('conn.exit')).signal).toBe('SIGTERM');
	});

	it('splits PROGRAM ARGS like a shell, without one; refuses --exec beyond loopback without --allow', () => {
		expect(splitCommand(String.raw`printf '%s\n' "a b" c\ d`)).toEqual(['printf', String.raw`%s\n`, 'a b', 'c d']);
		expect(() => splitCommand('echo "open')).toThrow(/unclosed/);
		expect(() => configFromFlags({exec: 'cat', host: '0.0.0.0'})).toThrow(/would run a program for anyone/);
		expect(configFromFlags({exec: 'cat', host: '0.0.0.0', allow: ['10.0.0.0/8']}).exec?.argv).toEqual(['cat']);
		expect(() => configFromFlags({exec: 'cat', shExec: 'cat'})).toThrow(/give one/);
	});
});

describe('serve --exec through the CLI: programs die with their connection', () => {
	/** The live processes of process group `group` (from /proc: stat's state, not Z, and pgrp fields). */
	function groupMembers(group: number): number[] {
		return readdirSync('/proc').filter(name => /^\d+$/.test(name)).filter(pid => {
			try {
				const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
				const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				return state !== 'Z' && Number(pgrp) === group;
			} catch {
				return false;
			}
		}).map(Number);
	}

	it('a program that ignores SIGTERM, and what it started, are killed after the grace period when the peer resets; SIGTERM to serve ends it all and serve exits, logging each exit', async () => {
		const cli = new CliProcess(['serve', '--port', '0', '--no-udp', '--json', '--sh-exec', 'trap "" TERM; sleep 300 & while :; do sleep 0.1; done']);
		try {
			const {port} = JSON.parse(await cli.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
			const peer = connect({port, host: '127.0.0.1'});
			peer.on('error', () => undefined);
			const {pid} = JSON.parse(await cli.waitForLine(line => line.includes('"conn.exec"'))) as {pid: number};
			expect(groupMembers(pid).length).toBeGreaterThanOrEqual(2); // sh, sleep 300, sleep 0.1
			peer.resetAndDestroy();
			const exit = JSON.parse(await cli.waitForLine(line => line.includes('"conn.exit"'))) as {signal: string};
			expect(exit.signal).toBe('SIGKILL');
			expect(groupMembers(pid)).toEqual([]);

			const second = connect({port, host: '127.0.0.1'});
			second.on('error', () => undefined);
			await cli.waitForLine(() => cli.lines.filter(line => line.includes('"conn.exec"')).length === 2);
			const secondPid = (JSON.parse(cli.lines.filter(line => line.includes('"conn.exec"'))[1]!) as {pid: number}).pid;
			cli.child.kill('SIGTERM');
			const {code} = await cli.exited;
			expect(code).toBe(0);
			expect(groupMembers(secondPid)).toEqual([]);
			const types = cli.lineValues().map(event => event.type);
			expect(types.filter(type => type === 'conn.exit')).toHaveLength(2);
			expect(types.lastIndexOf('conn.exit')).toBeLessThan(types.indexOf('server.closed'));
		} finally {
			cli.child.kill('SIGKILL');
		}
	});
});
