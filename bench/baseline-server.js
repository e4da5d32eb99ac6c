// The ideal for this stack: a bare node:net server of the same greeting protocol with line
// framing, and nothing else (no events, no limits). Prints {"port":N} once listening.
import {createSocket} from 'node:dgram';
import {createServer} from 'node:net';

const server = createServer({noDelay: true}, socket => {
	socket.write('Welcome!\n');
	let pending = '';
	socket.setEncoding('utf8');
	socket.on('data', chunk => {
		const lines = (pending + chunk).split('\n');
		pending = lines.pop();
		socket.cork();
		for (const line of lines) {
			if (line === 'exit') {
				socket.end();
				return;
			}

			socket.write(`Hello, ${line}!\n`);
		}

		socket.uncork();
	});
	socket.on('error', () => {});
});
// UDP on the same port, bare too: answer each datagram, count them.
const udp = createSocket('udp4');
let datagrams = 0;
udp.on('message', (message, peer) => {
	datagrams++;
	udp.send(Buffer.concat([Buffer.from('Hello, '), message, Buffer.from('!\n')]), peer.port, peer.address);
});

server.listen({port: 0, host: '127.0.0.1', backlog: 511}, () => {
	udp.bind(server.address().port, '127.0.0.1', () => {
		process.stdout.write(JSON.stringify({port: server.address().port}) + '\n');
	});
});
process.on('SIGTERM', () => {
	process.stdout.write(JSON.stringify({datagrams}) + '\n');
	process.exit(0);
});
