// How the bench starts each server and learns its port. Each target runs in its own process.
import {spawn, spawnSync} from 'node:child_process';
import {closeSync, openSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import pty from 'node-pty';

const here = fileURLToPath(new URL('.', import.meta.url));
// SOCKET_TUI_BENCH_CLI: another build's CLI, for an A/B of two versions.
export const cli = process.env.SOCKET_TUI_BENCH_CLI ?? join(here, '..', 'dist', 'cli.js');

/** Polls `read` until it gives a value (or throws after `timeoutMs`). */
export async function until(read, what, timeoutMs = 10_000, everyMs = 10) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = read();
		if (value !== undefined) {
			return value;
		}

		await new Promise(resolve => setTimeout(resolve, everyMs));
	}

	throw new Error(`${what} did not start`);
}

/** A server printing {"port":N} (or an NDJSON listening event) first; stdout to a file. */
export async function startPiped(name, command, args, scratch) {
	const out = join(scratch, `${name.replaceAll(/\W/g, '-')}-${Date.now()}.out`);
	const fd = openSync(out, 'w');
	const started = performance.now();
	const child = spawn(command, args, {stdio: ['ignore', fd, 'inherit'], env: {...process.env, CI: ''}});
	closeSync(fd);
	// The first line with a port (a log starts with its header line).
	const port = await until(() => {
		const line = readFileSync(out, 'utf8').split('\n').find(text => text.includes('"port"'));
		return line?.endsWith('}') ? JSON.parse(line).port : undefined;
	}, name);
	return {pid: child.pid, port, launchMs: performance.now() - started, frameTimes: () => [], output: () => readFileSync(out, 'utf8'), stop: async () => {
		child.kill('SIGTERM');
		await new Promise(resolve => child.on('exit', resolve));
	}};
}

const frameStart = '\u001B[2K\u001B[G';

/**
 * socket-tui with its screen, in a real pseudo-terminal (160×40); counts the frames it writes.
 * `args`: the command line (serve by default); `portPattern` finds the port in the first frames.
 */
export async function startTui(scratch, args = ['serve', '--port', '0', '--max-clients', '20000', '--no-history'], portPattern = /TCP 127\.0\.0\.1:(\d+)/) {
	let output = '';
	// When each frame was written (performance.now()), for the repaint rate.
	const frameTimes = [];
	const started = performance.now();
	const env = {...process.env, NO_COLOR: '1', TERM: 'xterm-256color'};
	delete env.CI;
	const child = pty.spawn(process.execPath, [cli, ...args], {cols: 160, rows: 40, env});
	let firstFrameMs;
	let datagrams = 0;
	let open;
	let tail = '';
	child.onData(data => {
		// Ink starts every frame by erasing the previous one, ending with "erase line, column 1"
		// (ESC[2K ESC[G) once: count those, across chunk boundaries.
		const now = performance.now();
		for (let count = (tail + data).split(frameStart).length - 1; count > 0 && frameTimes.length < 1_000_000; count--) {
			frameTimes.push(now);
		}

		tail = data.slice(-(frameStart.length - 1));
		// The UDP pane's count and the server pane's open count, as a person reads them.
		for (const match of data.matchAll(/(\d+) datagrams/g)) {
			datagrams = Math.max(datagrams, Number(match[1]));
		}

		for (const match of data.matchAll(/(\d+) open \/ \d+ total/g)) {
			open = Number(match[1]);
		}

		if (output.length < 20_000) {
			output += data;
		}

		// The first frame: its top border drawn (not the first byte: entering the alternate screen).
		if (firstFrameMs === undefined && output.includes('╭')) {
			firstFrameMs = performance.now() - started;
		}
	});
	const port = await until(() => {
		const match = portPattern.exec(output);
		return match ? Number(match[1]) : undefined;
	}, 'the TUI');
	return {
		pid: child.pid,
		port,
		launchMs: performance.now() - started,
		firstFrameMs,
		frameTimes: () => frameTimes,
		datagrams: () => datagrams,
		openCount: () => open,
		stop: async () => {
			const exited = new Promise(resolve => {
				child.onExit(resolve);
			});
			child.kill('SIGTERM');
			await exited;
		},
		scratch,
	};
}

/** Headless: connections open = conn.open events − conn.close events in its NDJSON so far. */
function withOpenCount(server) {
	const count = (text, type) => text.split(`"type":"${type}"`).length - 1;
	return {...server, openCount() {
		const output = server.output();
		return count(output, 'conn.open') - count(output, 'conn.close');
	}};
}

export function targets(scratch) {
	const list = [
		{name: 'baseline (bare node:net)', replies: 'line', start: () => startPiped('baseline', process.execPath, [join(here, 'baseline-server.js')], scratch)},
		{name: 'socket-tui headless (--json)', replies: 'line', start: async () => withOpenCount(await startPiped('headless', process.execPath, [cli, 'serve', '--json', '--port', '0', '--max-clients', '20000'], scratch))},
		{name: 'socket-tui with its screen', replies: 'line', start: () => startTui(scratch)},
	];
	if (spawnSync('python3', ['--version']).status === 0) {
		list.push({name: 'tutorial Python server', replies: 'chunk', once: true, start: () => startPiped('python', 'python3', [join(here, 'tutorial_server.py')], scratch)});
	}

	return list;
}

/** A memory figure of a process from /proc/PID/status (VmRSS, VmHWM…), in MB. */
function statusMb(pid, field) {
	try {
		const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb ? Number(kb) / 1024 : Number.NaN;
	} catch {
		return Number.NaN;
	}
}

/** Resident memory of a process now, in MB. */
export function rssMb(pid) {
	return statusMb(pid, 'VmRSS');
}

/** Peak resident memory of a process so far, in MB. */
export function peakRssMb(pid) {
	return statusMb(pid, 'VmHWM');
}
