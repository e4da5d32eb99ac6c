// The ideal relay for this stack: two node:net sockets piped both ways, nothing else (no events,
// no log). Usage: node bench/bare-relay.js UPSTREAM_PORT. Prints {"port":N} once listening.
import {connect, createServer} from 'node:net';

const upstreamPort = Number(process.argv[2]);
const server = createServer({allowHalfOpen: true, noDelay: true, pauseOnConnect: true}, client => {
	const upstream = connect({port: upstreamPort, host: '127.0.0.1', allowHalfOpen: true, noDelay: true});
	upstream.once('connect', () => {
		client.pipe(upstream);
		upstream.pipe(client);
		client.resume();
	});
	client.on('error', () => upstream.destroy());
	upstream.on('error', () => client.destroy());
});
server.listen(0, '127.0.0.1', () => {
	console.log(JSON.stringify({port: server.address().port}));
});
