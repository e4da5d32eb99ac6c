// Are the times on the screen the network's? The round-trip times socket-tui's client reports —
// headless, and with its screen (idle, and while 100 busy clients fill the server pane) — side by
// side with what an independent client measures against the same server at the same moment.
// Prints one JSON object (used by run.js; alone: node bench/rtt.js [--rounds N]).
import {spawn} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync} from 'node:fs';
import {connect} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import pty from 'node-pty';
import {cli, until as poll} from './targets.js';

const until = async (read, what) => poll(read, what, 15_000, 5);

const here = fileURLToPath(new URL('.', import.meta.url));
const roundsFlag = process.argv.indexOf('--rounds');
const rounds = roundsFlag === -1 ? 20 : Number(process.argv[roundsFlag + 1]);
const scratch = mkdtempSync(join(tmpdir(), 'socket-tui-rtt-'));

const median = values => {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	return sorted.length === 0 ? Number.NaN : sorted[Math.floor((sorted.length - 1) / 2)];
};

/** Round trips measured by a bare node:net client, one line at a time (the reference). */
async function referenceRtts(port, count) {
	const socket = connect({port, host: '127.0.0.1', noDelay: true});
	socket.setEncoding('utf8');
	let buffer = '';
	let waiter;
	socket.on('data', chunk => {
		buffer += chunk;
		waiter?.();
	});
	const line = async () => {
		while (!buffer.includes('\n')) {
			await new Promise(resolve => {
				waiter = resolve;
			});
		}

		const at = buffer.indexOf('\n');
		buffer = buffer.slice(at + 1);
	};

	await new Promise(resolve => socket.once('connect', resolve));
	await line(); // Welcome!
	const rtts = [];
	for (let index = 0; index < count; index++) {
		const sent = performance.now();
		socket.write(`ref${index}\n`);
		await line();
		rtts.push(performance.now() - sent);
	}

	socket.destroy();
	return rtts;
}

/** The load generator's 100 busy clients, for as long as the measurement runs. */
function busyClients(port) {
	const child = spawn(process.execPath, [join(here, 'loadgen.js'), String(port), '100', '100000'], {stdio: 'ignore'});
	return () => child.kill('SIGKILL');
}

/** socket-tui's screen in a pseudo-terminal, its events logged to a file. */
async function screen() {
	const log = join(scratch, `screen-${Date.now()}.ndjson`);
	const env = {...process.env, NO_COLOR: '1', TERM: 'xterm-256color'};
	delete env.CI;
	const child = pty.spawn(process.execPath, [cli, '--port', '0', '--no-history', '--max-clients', '1000', '--log', log], {cols: 160, rows: 40, env});
	let output = '';
	child.onData(data => {
		output = (output + data).slice(-50_000);
	});
	const port = await until(() => {
		const match = /Client → 127\.0\.0\.1:(\d+)/.exec(output);
		return match && output.includes('Welcome!') ? Number(match[1]) : undefined;
	}, 'the screen');
	// The log grows fast under load: read only what is new, and parse only the client's events.
	const seen = [];
	let offset = 0;
	let partial = '';
	const events = () => {
		const fd = openSync(log, 'r');
		const buffer = Buffer.alloc(4 * 1024 * 1024);
		for (let read = readSync(fd, buffer, 0, buffer.length, offset); read > 0; read = readSync(fd, buffer, 0, buffer.length, offset)) {
			offset += read;
			const lines = (partial + buffer.toString('utf8', 0, read)).split('\n');
			partial = lines.pop();
			for (const line of lines) {
				if (line.includes('"client.')) {
					seen.push(JSON.parse(line));
				}
			}
		}

		closeSync(fd);
		return seen;
	};

	return {
		port,
		/** Types lines one at a time, each after its reply; the RTTs the screen showed (its log). */
		async measure(count, tag) {
			const rtts = [];
			for (let index = 0; index < count; index++) {
				const text = `${tag}${index}`;
				child.write(`${text}\r`);
				const reply = await until(() => events().find(event => event.type === 'client.received' && event.text === `Hello, ${text}!`), `the reply to ${text}`);
				rtts.push(reply.rttMs);
			}

			return rtts;
		},
		connectMs: () => events().find(event => event.type === 'client.state' && event.state === 'connected')?.connectMs,
		async stop() {
			const exited = new Promise(resolve => child.onExit(resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/** socket-tui headless: serve, and connect --send-file --once --json, as a script would. */
async function headless() {
	const server = spawn(process.execPath, [cli, 'serve', '--json', '--port', '0', '--no-udp'], {stdio: ['ignore', 'pipe', 'inherit']});
	let output = '';
	server.stdout.on('data', chunk => {
		output += chunk;
	});
	const port = await until(() => {
		const line = output.split('\n').find(text => text.includes('"server.listening"'));
		return line ? JSON.parse(line).port : undefined;
	}, 'the headless server');
	const script = join(scratch, 'lines.txt');
	writeFileSync(script, Array.from({length: rounds}, (_, index) => `h${index}`).join('\n') + '\n');
	const client = spawn(process.execPath, [cli, 'connect', `127.0.0.1:${port}`, '--send-file', script, '--once', '--json'], {stdio: ['ignore', 'pipe', 'inherit']});
	let events = '';
	client.stdout.on('data', chunk => {
		events += chunk;
	});
	await new Promise(resolve => client.on('exit', resolve));
	const parsed = events.split('\n').filter(Boolean).map(line => JSON.parse(line));
	const reference = await referenceRtts(port, rounds);
	server.kill('SIGTERM');
	return {
		rtt: median(parsed.filter(event => event.type === 'client.received' && event.rttMs !== undefined).map(event => event.rttMs)),
		connectMs: parsed.find(event => event.state === 'connected')?.connectMs,
		reference: median(reference),
	};
}

const result = {rounds, headless: await headless()};
{
	const tui = await screen();
	const idle = await tui.measure(rounds, 'i');
	const idleReference = await referenceRtts(tui.port, rounds);
	const stopLoad = busyClients(tui.port);
	// Let the pane fill with busy rows first.
	await new Promise(resolve => setTimeout(resolve, 1000));
	const busy = await tui.measure(rounds, 'b');
	const busyReference = await referenceRtts(tui.port, rounds);
	stopLoad();
	result.screen = {connectMs: tui.connectMs(), idle: median(idle), idleReference: median(idleReference), busy: median(busy), busyReference: median(busyReference)};
	await tui.stop();
}

rmSync(scratch, {recursive: true, force: true});
console.log(JSON.stringify(result));
