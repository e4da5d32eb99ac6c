// Bulk through a relay, in its own process: it sends MB megabytes up while it reads the MB the
// upstream (bench/bulk-upstream.js) sends down, both as fast as the path takes them.
// Prints {"mb":DOWN,"up":UP,"seconds":S,"mbPerSec":R} (R: both ways together, MB/s).
// Usage: node bench/bulk.js RELAY_PORT MB
import {connect} from 'node:net';

const [port, megabytes] = [Number(process.argv[2]), Number(process.argv[3])];
const chunk = Buffer.alloc(1024 * 1024, 0x62);
const started = performance.now();
let received = 0;
let sent = 0;
const socket = connect({port, host: '127.0.0.1', allowHalfOpen: true});
socket.on('data', data => {
	received += data.length;
});
const pump = () => {
	while (sent < megabytes) {
		sent++;
		if (!socket.write(chunk)) {
			socket.once('drain', pump);
			return;
		}
	}

	socket.end();
};

socket.once('connect', pump);
socket.on('error', () => undefined);
socket.on('close', () => {
	const seconds = (performance.now() - started) / 1000;
	const down = received / 1024 / 1024;
	console.log(JSON.stringify({mb: down, up: sent, expected: megabytes, seconds, mbPerSec: (down + sent) / seconds}));
});
