// Bulk through a relay, in its own process: a sink upstream that sends N MB as fast as the path
// takes them; a client that reads them all. Prints {"mb":N,"seconds":S,"mbPerSec":R}.
// Usage: node bench/bulk.js RELAY_PORT UPSTREAM_PORT_FILE MB  (the upstream is started by run.js)
import {connect} from 'node:net';

const [port, megabytes] = [Number(process.argv[2]), Number(process.argv[3])];
const started = performance.now();
let received = 0;
const socket = connect({port, host: '127.0.0.1'});
socket.on('data', chunk => {
	received += chunk.length;
});
socket.on('close', () => {
	const seconds = (performance.now() - started) / 1000;
	console.log(JSON.stringify({mb: received / 1024 / 1024, expected: megabytes, seconds, mbPerSec: received / 1024 / 1024 / seconds}));
});
