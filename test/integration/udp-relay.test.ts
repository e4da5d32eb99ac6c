import {createSocket, type Socket} from 'node:dgram';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {UdpRelay, type UdpRelayOptions} from '../../source/net/udp-relay.js';
import {parseRewriteRule} from '../../source/protocol/rewrite-rules.js';
import {EventLog} from '../helpers/collect.js';

const sockets: Socket[] = [];
const relays: UdpRelay[] = [];

afterEach(async () => {
	await Promise.all(relays.splice(0).map(async relay => relay.close()));
	for (const socket of sockets.splice(0)) {
		socket.close();
	}
});

async function bound(onMessage?: (socket: Socket, message: Buffer, from: {address: string; port: number}) => void): Promise<{socket: Socket; port: number}> {
	const socket = createSocket('udp4');
	sockets.push(socket);
	if (onMessage) {
		socket.on('message', (message, from) => {
			onMessage(socket, message, from);
		});
	}

	await new Promise<void>(resolve => {
		socket.bind(0, '127.0.0.1', resolve);
	});
	return {socket, port: socket.address().port};
}

async function relayTo(port: number, options: Partial<UdpRelayOptions> = {}): Promise<{relay: UdpRelay; log: EventLog; port: number}> {
	const bus = new EventBus();
	const log = new EventLog(bus);
	const relay = new UdpRelay(bus, {host: '127.0.0.1', port: 0, upstream: {host: '127.0.0.1', port}, maxClients: 100, idleTimeoutMs: 60_000, captureBytes: Number.POSITIVE_INFINITY, rewrite: [], maxHeldBytes: 1024 * 1024, ...options});
	relays.push(relay);
	const address = await relay.listen();
	return {relay, log, port: address.port};
}

async function nextDatagram(socket: Socket): Promise<Buffer> {
	return new Promise(resolve => {
		socket.once('message', message => resolve(message));
	});
}

describe('relay udp://', () => {
	it('gives each client address its own upstream socket and sends each reply back to the client that caused it, bytes unchanged', async () => {
		// The upstream answers with what it got and the port it came from.
		const upstream = await bound((socket, message, from) => {
			socket.send(Buffer.concat([message, Buffer.from(` via ${from.port}`)]), from.port, from.address);
		});
		const {log, port} = await relayTo(upstream.port);
		const alice = await bound();
		const bob = await bound();
		const aliceReply = nextDatagram(alice.socket);
		const bobReply = nextDatagram(bob.socket);
		alice.socket.send(Buffer.from([0, 1, 2, 0xFF, 0x0A]), port, '127.0.0.1');
		bob.socket.send('bob\n', port, '127.0.0.1');
		const [fromAlice, fromBob] = await Promise.all([aliceReply, bobReply]);
		expect(fromAlice.subarray(0, 5)).toEqual(Buffer.from([0, 1, 2, 0xFF, 0x0A]));
		expect(fromBob.toString()).toMatch(/^bob\n via \d+$/);
		const opens = log.of('relay.open');
		expect(opens).toHaveLength(2);
		expect(opens.every(open => open.transport === 'udp')).toBe(true);
		// Two clients, two upstream sockets: the upstream saw two different source ports.
		expect(fromAlice.toString('latin1').split(' via ')[1]).not.toBe(fromBob.toString().split(' via ')[1]);
		// A second datagram from alice reuses her pair.
		const again = nextDatagram(alice.socket);
		alice.socket.send('again', port, '127.0.0.1');
		expect((await again).toString()).toBe(`again via ${fromAlice.toString('latin1').split(' via ')[1]!}`);
		expect(log.of('relay.open')).toHaveLength(2);
	});

	it('forgets a pair after --idle-timeout without datagrams, and a later datagram opens a new one', async () => {
		const upstream = await bound((socket, message, from) => {
			socket.send(message, from.port, from.address);
		});
		const {relay, log, port} = await relayTo(upstream.port, {idleTimeoutMs: 150});
		const client = await bound();
		const reply = nextDatagram(client.socket);
		client.socket.send('x', port, '127.0.0.1');
		await reply;
		const close = await log.waitFor('relay.close');
		expect(close).toMatchObject({reason: 'idle', bytesUp: 1, bytesDown: 1});
		expect(relay.openCount).toBe(0);
		const second = nextDatagram(client.socket);
		client.socket.send('y', port, '127.0.0.1');
		await second;
		expect(log.of('relay.open').map(open => open.id)).toEqual([1, 2]);
	});

	it('closes a pair with reason refused when nothing listens upstream (ICMP port unreachable)', async () => {
		const gone = await bound();
		const deadPort = gone.port;
		gone.socket.close();
		sockets.splice(sockets.indexOf(gone.socket), 1);
		const {log, port} = await relayTo(deadPort);
		const client = await bound();
		client.socket.send('anyone?', port, '127.0.0.1');
		expect((await log.waitFor('relay.close')).reason).toBe('refused');
	});

	it('holds datagrams while paused, edits and releases them, and rewrites per direction', async () => {
		const upstream = await bound((socket, message, from) => {
			socket.send(Buffer.concat([Buffer.from('re: '), message]), from.port, from.address);
		});
		const {relay, log, port} = await relayTo(upstream.port, {rewrite: [parseRewriteRule('down:^re: =>RE: ')]});
		const client = await bound();
		const first = nextDatagram(client.socket);
		client.socket.send('one', port, '127.0.0.1');
		expect((await first).toString()).toBe('RE: one');
		const {id} = await log.waitFor('relay.open');
		relay.steer(id, {kind: 'pause', direction: 'up', paused: true});
		client.socket.send('two', port, '127.0.0.1');
		client.socket.send('three', port, '127.0.0.1');
		await log.waitForCount('relay.held', 2);
		expect(relay.steer(id, {kind: 'edit', seq: 1, text: 'TWO'})).toBe(true);
		expect(relay.steer(id, {kind: 'drop', seq: 2})).toBe(true);
		const released = nextDatagram(client.socket);
		relay.steer(id, {kind: 'release', all: true});
		expect((await released).toString()).toBe('RE: TWO');
		const injected = nextDatagram(client.socket);
		relay.steer(id, {kind: 'inject', direction: 'down', text: 'from the operator'});
		expect((await injected).toString()).toBe('from the operator');
	});
});
