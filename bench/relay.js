// The relay in the bench: the same request/response loads and a bulk transfer through (a) a bare
// node:net relay (two sockets piped both ways), (b) socat when installed, (c) socket-tui relay
// --json with every byte logged, and with --capture-bytes 64k; the bare greeting server upstream.
// Prints one JSON object (run.js makes the tables). Usage: node bench/relay.js SCRATCH [--quick]
import {spawn, spawnSync} from 'node:child_process';
import {connect, createServer} from 'node:net';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {cli, peakRssMb, startPiped, startTui, until} from './targets.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const scratch = process.argv[2];
const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 3;
const loads = [
	{name: '1 × 5,000', clients: 1, messages: quick ? 500 : 5000},
	{name: '100 × 500', clients: 100, messages: quick ? 50 : 500},
];
const bulkMb = quick ? 64 : 1024;

function run(script, args, timeoutMs = 120_000) {
	const child = spawn(process.execPath, [join(here, script), ...args], {stdio: ['ignore', 'pipe', 'inherit']});
	let output = '';
	child.stdout.on('data', chunk => {
		output += chunk;
	});
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	return new Promise(resolve => {
		child.on('exit', () => {
			clearTimeout(timer);
			resolve(output ? JSON.parse(output) : undefined);
		});
	});
}

async function freePort() {
	const probe = createServer();
	await new Promise(resolve => probe.listen(0, '127.0.0.1', resolve));
	const {port} = probe.address();
	await new Promise(resolve => probe.close(resolve));
	return port;
}

async function startSocat(upstream) {
	const port = await freePort();
	const child = spawn('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr,backlog=1024`, `TCP:127.0.0.1:${upstream}`], {stdio: 'ignore'});
	await until(() => new Promise(resolve => {
		const socket = connect({port, host: '127.0.0.1'}, () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => resolve(undefined));
	}).then(value => value), 'socat');
	return {pid: child.pid, port, stop: async () => {
		child.kill('SIGTERM');
		await new Promise(resolve => child.on('exit', resolve));
	}};
}

const relays = [
	{name: 'bare node:net relay', start: upstream => startPiped('bare-relay', process.execPath, [join(here, 'bare-relay.js'), String(upstream)], scratch)},
	...(spawnSync('socat', ['-V']).status === 0 ? [{name: 'socat', start: startSocat}] : []),
	{name: 'socket-tui relay --json (every byte)', start: upstream => startPiped('relay-json', process.execPath, [cli, 'relay', `127.0.0.1:${upstream}`, '--port', '0', '--json', '--max-clients', '2000'], scratch)},
	{name: 'socket-tui relay --json --capture-bytes 64k', start: upstream => startPiped('relay-capture', process.execPath, [cli, 'relay', `127.0.0.1:${upstream}`, '--port', '0', '--json', '--max-clients', '2000', '--capture-bytes', '64k'], scratch)},
	{name: 'socket-tui relay with its screen', start: upstream => startTui(scratch, ['relay', `127.0.0.1:${upstream}`, '--port', '0', '--max-clients', '2000'], /relay 127\.0\.0\.1:(\d+)/)},
];

// --only TEXT: just the relays whose name contains TEXT (and the bare one), to look at one closely.
const onlyFlag = process.argv.indexOf('--only');
if (onlyFlag !== -1) {
	const only = process.argv[onlyFlag + 1];
	relays.splice(0, relays.length, ...relays.filter(relay => relay.name.startsWith('bare') || relay.name.includes(only)));
}

// --no-requests: the bulk transfer only.
if (process.argv.includes('--no-requests')) {
	loads.length = 0;
}

const upstream = await startPiped('upstream', process.execPath, [join(here, 'baseline-server.js')], scratch);
const requests = [];
for (const load of loads) {
	const samples = new Map(relays.map(relay => [relay.name, []]));
	for (let round = 0; round < runs; round++) {
		for (const relay of relays) {
			const server = await relay.start(upstream.port);
			// A relay that cannot carry the load (socat forking 100 clients here) is not waited for twice.
			const warm = await run('loadgen.js', [String(server.port), String(load.clients), String(load.messages)], 60_000);
			const result = warm === undefined ? undefined : await run('loadgen.js', [String(server.port), String(load.clients), String(load.messages)], 60_000);
			samples.get(relay.name).push({...result, rssMb: peakRssMb(server.pid)});
			await server.stop();
		}
	}

	requests.push({load: load.name, samples: Object.fromEntries(samples)});
}

await upstream.stop();
const bulkUpstream = await startPiped('bulk-upstream', process.execPath, [join(here, 'bulk-upstream.js'), String(bulkMb)], scratch);
const bulk = {};
for (const relay of relays) {
	const server = await relay.start(bulkUpstream.port);
	// Growth: the peak during the transfer over what the relay held once started.
	const startRssMb = peakRssMb(server.pid);
	const result = await run('bulk.js', [String(server.port), String(bulkMb)], 600_000);
	const rssMb = peakRssMb(server.pid);
	bulk[relay.name] = {...result, rssMb, growthMb: rssMb - startRssMb};
	await server.stop();
}

await bulkUpstream.stop();
console.log(JSON.stringify({runs, requests, bulk, bulkMb}));
