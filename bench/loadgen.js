// Load generator, run in its own process: N clients, each sends M lines one at a time and
// waits for each reply (request/response, as the tutorial's client). Prints one JSON result.
// Usage: node bench/loadgen.js PORT CLIENTS MESSAGES [line|chunk]
// `chunk`: every read is one reply (the tutorial's server sends no newline).
import {connect} from 'node:net';

const [port, clients, messages] = process.argv.slice(2, 5).map(Number);
const chunkReplies = process.argv[5] === 'chunk';
// Each run dials from its own loopback addresses (see hold.js): no collisions with TIME_WAIT.
const block = 1 + Math.floor(Math.random() * 250);
const latencies = new Float64Array(clients * messages);
let recorded = 0;
let errors = 0;

async function runClient(index) {
	return new Promise(resolve => {
		const socket = connect({port, host: '127.0.0.1', noDelay: true, localAddress: `127.${block}.${(index >> 8) & 255}.${(index & 255) || 1}`});
		let buffer = '';
		let welcomed = false;
		let sent = 0;
		let sentAt = 0;
		const send = () => {
			sentAt = performance.now();
			socket.write(`c${index}m${sent}\n`);
			sent++;
		};

		socket.setEncoding('utf8');
		socket.on('data', chunk => {
			buffer += chunk;
			let newline;
			while ((newline = chunkReplies ? (buffer.length > 0 ? buffer.length - 1 : -1) : buffer.indexOf('\n')) !== -1) {
				buffer = buffer.slice(newline + 1);
				if (!welcomed) {
					welcomed = true;
				} else {
					latencies[recorded++] = performance.now() - sentAt;
				}

				if (sent < messages) {
					send();
				} else {
					// Reset rather than close: no TIME_WAIT left behind to slow the next run's connects.
					socket.resetAndDestroy();
				}
			}
		});
		socket.on('error', () => {
			errors++;
		});
		socket.on('close', resolve);
	});
}

const start = performance.now();
// Connect in waves so the accept queue is not the thing measured.
const wave = 200;
const runs = [];
for (let index = 0; index < clients; index += wave) {
	for (let offset = index; offset < Math.min(index + wave, clients); offset++) {
		runs.push(runClient(offset));
	}

	await new Promise(resolve => setImmediate(resolve));
}

await Promise.all(runs);
const seconds = (performance.now() - start) / 1000;
const sorted = latencies.subarray(0, recorded).sort();
const pick = q => (recorded === 0 ? Number.NaN : sorted[Math.min(recorded - 1, Math.floor(q * recorded))]);
process.stdout.write(JSON.stringify({
	messages: recorded,
	expected: clients * messages,
	errors,
	seconds,
	msgsPerSec: recorded / seconds,
	p50: pick(0.5),
	p99: pick(0.99),
}) + '\n');
