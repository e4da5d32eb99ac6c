// Load generator for held connections, in its own process: opens N connections (in waves),
// waits until every one has its welcome, then measures a new client's round trip while they
// are all held, then closes them. Prints one JSON result.
// Usage: node bench/hold.js PORT N
import {connect} from 'node:net';

const [port, count] = process.argv.slice(2, 4).map(Number);
// Each run dials from its own loopback addresses (127.B.x.y): the TIME_WAIT sockets that earlier
// runs leave behind then never collide with this run's ports (they stalled SYNs for a minute).
const block = 1 + Math.floor(Math.random() * 250);
const localAddress = index => `127.${block}.${(index >> 8) & 255}.${(index & 255) || 1}`;
const sockets = [];
let welcomed = 0;
let errors = 0;
const start = performance.now();
let resolveAll;
const allWelcomed = new Promise(resolve => {
	resolveAll = resolve;
});

function open(index) {
	const socket = connect({port, host: '127.0.0.1', localAddress: localAddress(index)});
	let greeted = false;
	socket.on('data', () => {
		if (!greeted) {
			greeted = true;
			welcomed++;
			if (welcomed + errors === count) {
				resolveAll();
			}
		}
	});
	socket.on('error', () => {
		errors++;
		if (welcomed + errors === count) {
			resolveAll();
		}
	});
	sockets.push(socket);
}

for (let index = 0; index < count; index += 500) {
	for (let offset = index; offset < Math.min(index + 500, count); offset++) {
		open(offset);
	}

	await new Promise(resolve => setImmediate(resolve));
}

// Bounded: give up after 60 s.
await Promise.race([allWelcomed, new Promise(resolve => setTimeout(resolve, 60_000))]);
const welcomeSeconds = (performance.now() - start) / 1000;

// A new client meanwhile: connect, welcome, one message, its reply.
const probeStart = performance.now();
const probeMs = await new Promise(resolve => {
	const probe = connect({port, host: '127.0.0.1'});
	let stage = 0;
	let buffer = '';
	let sentAt = 0;
	probe.setEncoding('utf8');
	probe.on('data', chunk => {
		buffer += chunk;
		if (stage === 0 && buffer.includes('\n')) {
			stage = 1;
			buffer = '';
			sentAt = performance.now();
			probe.write('probe\n');
		} else if (stage === 1 && buffer.includes('\n')) {
			resolve({connectToReply: performance.now() - probeStart, roundTrip: performance.now() - sentAt});
			probe.destroy();
		}
	});
	probe.on('error', () => resolve({connectToReply: Number.NaN, roundTrip: Number.NaN}));
});

process.stdout.write(JSON.stringify({count, welcomed, errors, welcomeSeconds, probe: probeMs}) + '\n');
// The orchestrator samples the server now, then tells us to go.
process.stdin.once('data', () => {
	// Reset rather than close: no TIME_WAIT left behind to slow the next run's connects.
	for (const socket of sockets) {
		socket.resetAndDestroy();
	}

	process.exit(0);
});
