// An upstream for bench/bulk.js: sends MB megabytes to each connection, then closes it.
// Usage: node bench/bulk-upstream.js MB. Prints {"port":N} once listening.
import {createServer} from 'node:net';

const megabytes = Number(process.argv[2]);
const chunk = Buffer.alloc(1024 * 1024, 0x61);
const server = createServer(socket => {
	socket.on('error', () => undefined);
	let sent = 0;
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

	pump();
});
server.listen(0, '127.0.0.1', () => {
	console.log(JSON.stringify({port: server.address().port}));
});
