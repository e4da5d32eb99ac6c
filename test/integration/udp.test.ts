import {readFileSync} from 'node:fs';
import {createSocket} from 'node:dgram';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {exchangeDatagrams} from '../../source/net/udp-send.js';
import {EventLog} from '../helpers/collect.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;

afterEach(async () => {
	await server?.engine.stop();
	server = undefined;
});

describe('UDP endpoint', () => {
	it('binds the same port number as TCP and answers each datagram like the tutorial', async () => {
		server = await startTestServer();
		const udpListening = await server.log.waitFor('udp.listening');
		expect(udpListening.port).toBe(server.port);
		// A larger receive buffer than the kernel's default, up to what the system allows.
		const allowed = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
		const asked = [4 * 1024 * 1024, 1024 * 1024, 256 * 1024].find(size => size <= allowed) ?? allowed;
		expect(udpListening.receiveBuffer).toBeGreaterThanOrEqual(Math.min(asked, allowed));
		const socket = createSocket('udp4');
		const reply = new Promise<Buffer>(resolve => socket.once('message', resolve));
		socket.send('Michael', server.port, '127.0.0.1');
		expect((await reply).toString()).toBe('Hello, Michael!');
		const datagram = await server.log.waitFor('udp.datagram');
		expect(datagram).toMatchObject({text: 'Michael', bytes: 7, peer: {address: '127.0.0.1', family: 'IPv4'}});
		expect((await server.log.waitFor('udp.reply')).text).toBe('Hello, Michael!');
		socket.close();
	});

	it('exchanges datagrams one at a time (send-udp) and reports each reply', async () => {
		server = await startTestServer();
		const bus = new EventBus();
		const log = new EventLog(bus);
		const exchanges = await exchangeDatagrams(bus, {host: '127.0.0.1', port: server.port}, ['Michael', 'Tracy', 'Sarah'].map(text => Buffer.from(text)), 2000);
		expect(exchanges.map(exchange => exchange.reply?.toString())).toEqual(['Hello, Michael!', 'Hello, Tracy!', 'Hello, Sarah!']);
		expect(log.of('udp.sent')).toHaveLength(3);
		expect(log.of('udp.datagram')).toHaveLength(3);
	});

	it('sends from the endpoint to any host:port with a udp.sent event', async () => {
		server = await startTestServer();
		const target = createSocket('udp4');
		await new Promise<void>(resolve => target.bind(0, '127.0.0.1', resolve));
		const received = new Promise<Buffer>(resolve => target.once('message', resolve));
		await server.engine.udp!.send({host: '127.0.0.1', port: target.address().port}, Buffer.from('ping'));
		expect((await received).toString()).toBe('ping');
		expect((await server.log.waitFor('udp.sent')).peer.port).toBe(target.address().port);
		target.close();
	});

	it('serves UDP on ::1 too', async () => {
		server = await startTestServer({host: '::1'});
		const bus = new EventBus();
		const exchanges = await exchangeDatagrams(bus, {host: '::1', port: server.port}, [Buffer.from('six')], 2000);
		expect(exchanges[0]!.reply?.toString()).toBe('Hello, six!');
	});
});

describe('UDP endpoint on its own port', () => {
	it('binds --udp-port apart from the TCP port', async () => {
		const probe = createSocket('udp4');
		await new Promise<void>(resolve => probe.bind(0, '127.0.0.1', resolve));
		const udpPort = probe.address().port;
		await new Promise<void>(resolve => probe.close(resolve));
		server = await startTestServer({udpPort});
		expect((await server.log.waitFor('udp.listening')).port).toBe(udpPort);
		expect(server.port).not.toBe(udpPort);
		const exchanges = await exchangeDatagrams(new EventBus(), {host: '127.0.0.1', port: udpPort}, [Buffer.from('apart')], 2000);
		expect(exchanges[0]!.reply?.toString()).toBe('Hello, apart!');
	});
});

describe('UDP endpoint loops', () => {
	it('does not answer a datagram it sent to itself', async () => {
		server = await startTestServer();
		await server.engine.udp!.send({host: '127.0.0.1', port: server.port}, Buffer.from('me'));
		await server.log.waitFor('udp.datagram');
		// A probe from elsewhere still gets its answer, and it is the only reply so far.
		const exchanges = await exchangeDatagrams(new EventBus(), {host: '127.0.0.1', port: server.port}, [Buffer.from('probe')], 2000);
		expect(exchanges[0]!.reply?.toString()).toBe('Hello, probe!');
		expect(server.log.of('udp.reply').map(event => event.text)).toEqual(['Hello, probe!']);
	});
});
