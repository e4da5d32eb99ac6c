// An upstream for bench/bulk.js: to each connection it sends MB megabytes while it reads (and
// counts) what the client sends; it closes once both are done. Usage: node bench/bulk-upstream.js
// MB. Prints {"port":N} once listening.
import {createServer} from 'node:net';

const megabytes = Number(process.argv[2]);
const chunk = Buffer.alloc(1024 * 1024, 0x61);
const server = createServer({allowHalfOpen: true}, socket => {
	socket.on('error', () => undefined);
	let sent = 0;
	let clientDone = false;
	let sendingDone = false;
	const finish = () => {
		if (clientDone && sendingDone) {
			socket.end();
		}
	};

	socket.on('data', () => undefined);
	socket.on('end', () => {
		clientDone = true;
		finish();
	});
	const pump = () => {
		while (sent < megabytes) {
			sent++;
			if (!socket.write(chunk)) {
				socket.once('drain', pump);
				return;
			}
		}

		sendingDone = true;
		finish();
	};

	pump();
});
server.listen(0, '127.0.0.1', () => {
	console.log(JSON.stringify({port: server.address().port}));
});
