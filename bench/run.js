// npm run bench: the same loads against (a) a bare node:net baseline, (b) socket-tui headless,
// (d) the tutorial's Python server when python3 is here; every figure also as a ratio to (a).
import {spawn, spawnSync} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'socket-tui-bench-'));
const quick = process.argv.includes('--quick');

const loads = [
	{name: '1 × 20,000', clients: 1, messages: quick ? 2000 : 20_000},
	{name: '100 × 1,000', clients: 100, messages: quick ? 100 : 1000},
	{name: '1,000 × 100', clients: 1000, messages: quick ? 10 : 100},
];

const targets = [
	{name: 'baseline (bare node:net)', command: process.execPath, args: [join(here, 'baseline-server.js')], replies: 'line'},
	{name: 'socket-tui headless', command: process.execPath, args: [cli, 'serve', '--json', '--no-udp', '--port', '0', '--max-clients', '20000'], replies: 'line'},
];
if (spawnSync('python3', ['--version']).status === 0) {
	targets.push({name: 'tutorial Python server', command: 'python3', args: [join(here, 'tutorial_server.py')], replies: 'chunk'});
}

/** Starts a server with stdout to a file (so printing costs it what it would cost anyone) and reads its port. */
async function startTarget(target) {
	const out = join(scratch, `out-${Date.now()}.txt`);
	const fd = openSync(out, 'w');
	const child = spawn(target.command, target.args, {stdio: ['ignore', fd, 'inherit'], env: {...process.env, CI: ''}});
	closeSync(fd);
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		const first = readFileSync(out, 'utf8').split('\n')[0];
		if (first?.endsWith('}')) {
			return {child, port: JSON.parse(first).port};
		}

		await new Promise(resolve => setTimeout(resolve, 20));
	}

	child.kill('SIGKILL');
	throw new Error(`${target.name} did not start`);
}

function rssMb(pid) {
	try {
		const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb ? Number(kb) / 1024 : Number.NaN;
	} catch {
		return Number.NaN;
	}
}

async function runLoad(port, load, replies) {
	const child = spawn(process.execPath, [join(here, 'loadgen.js'), String(port), String(load.clients), String(load.messages), replies], {stdio: ['ignore', 'pipe', 'inherit']});
	let output = '';
	child.stdout.on('data', chunk => {
		output += chunk;
	});
	// A collapsing server (the tutorial's backlog of 5) must not hang the bench.
	const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
	await new Promise(resolve => child.on('exit', resolve));
	clearTimeout(timer);
	return output ? JSON.parse(output) : {messages: 0, expected: load.clients * load.messages, errors: Number.NaN, msgsPerSec: 0, p50: Number.NaN, p99: Number.NaN};
}

const results = [];
for (const load of loads) {
	for (const target of targets) {
		const {child, port} = await startTarget(target);
		const result = await runLoad(port, load, target.replies);
		result.rssMb = rssMb(child.pid);
		child.kill('SIGTERM');
		await new Promise(resolve => child.on('exit', resolve));
		results.push({load: load.name, target: target.name, ...result});
	}
}

rmSync(scratch, {recursive: true, force: true});

const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const lines = ['| load | server | msgs/s | × baseline | p50 ms | p99 ms | p99 × baseline | answered | peak RSS MB |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
for (const result of results) {
	const base = results.find(other => other.load === result.load && other.target === targets[0].name);
	lines.push(`| ${result.load} | ${result.target} | ${fmt(result.msgsPerSec)} | ${fmt(result.msgsPerSec / base.msgsPerSec, 2)} | ${fmt(result.p50, 3)} | ${fmt(result.p99, 3)} | ${fmt(result.p99 / base.p99, 2)} | ${result.messages}/${result.expected} | ${fmt(result.rssMb)} |`);
}

console.log(`socket-tui bench · node ${process.version} · ${(await import('node:os')).cpus().length} cores${quick ? ' · quick' : ''}\n`);
console.log(lines.join('\n'));
