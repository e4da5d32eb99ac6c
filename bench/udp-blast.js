// UDP load generator, in its own process: sends N datagrams to PORT as fast as the socket
// takes them (each burst waits for its last send), then prints how many were sent.
// Usage: node bench/udp-blast.js PORT N
import {createSocket} from 'node:dgram';

const [port, count] = process.argv.slice(2, 4).map(Number);
const socket = createSocket('udp4');
socket.on('message', () => {}); // Replies are read and dropped.
const datagram = Buffer.from('flood');
let sent = 0;
const started = performance.now();
while (sent < count) {
	const burst = Math.min(500, count - sent);
	for (let index = 1; index < burst; index++) {
		socket.send(datagram, port, '127.0.0.1');
	}

	await new Promise(resolve => {
		socket.send(datagram, port, '127.0.0.1', resolve);
	});
	sent += burst;
}

process.stdout.write(JSON.stringify({sent, seconds: (performance.now() - started) / 1000}) + '\n');
socket.close();
