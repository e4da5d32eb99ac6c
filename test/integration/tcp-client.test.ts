import {createServer, type AddressInfo, type Server, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {configFromFlags} from '../../source/config.js';
import {TcpClient} from '../../source/net/tcp-client.js';
import {EventLog} from '../helpers/collect.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

const options = configFromFlags({});
let server: TestServer | undefined;
let client: TcpClient | undefined;
const rawServers: Server[] = [];

afterEach(async () => {
	client?.disconnect();
	await server?.engine.stop();
	for (const raw of rawServers.splice(0)) {
		raw.close();
	}
});

async function rawServer(onSocket: (socket: Socket) => void): Promise<number> {
	const raw = createServer(onSocket);
	rawServers.push(raw);
	await new Promise<void>(resolve => raw.listen(0, '127.0.0.1', resolve));
	return (raw.address() as AddressInfo).port;
}

describe('TCP client engine', () => {
	it('connects, receives the welcome, sends, gets the reply, and is closed after exit', async () => {
		server = await startTestServer();
		const bus = new EventBus();
		const log = new EventLog(bus);
		client = new TcpClient(bus, options);
		expect(await client.connect({host: '127.0.0.1', port: server.port})).toBe('connected');
		const connected = await log.waitFor('client.state', event => event.state === 'connected');
		expect(connected.connectMs).toBeGreaterThanOrEqual(0);
		expect(connected.peer?.port).toBe(server.port);
		await log.waitFor('client.received', event => event.text === 'Welcome!');
		expect(client.send('Michael')).toBe(true);
		await log.waitFor('client.received', event => event.text === 'Hello, Michael!');
		client.send('exit');
		const closed = await log.waitFor('client.state', event => event.state === 'closed');
		expect(closed.reason).toContain('closed by the server');
		expect(client.send('too late')).toBe(false);
		// The exact bytes sent, the line ending included.
		expect(log.of('client.sent').map(event => event.text)).toEqual(['Michael\n', 'exit\n']);
	});

	it('reports a refused connection as state refused with a readable reason', async () => {
		// A port that was free a moment ago: bind, learn it, close.
		const port = await rawServer(() => undefined);
		await new Promise<void>(resolve => rawServers.pop()!.close(() => {
			resolve();
		}));
		const bus = new EventBus();
		client = new TcpClient(bus, options);
		const log = new EventLog(bus);
		expect(await client.connect({host: '127.0.0.1', port})).toBe('refused');
		const refused = await log.waitFor('client.state', event => event.state === 'refused');
		expect(refused.reason).toBe(`connection refused by 127.0.0.1:${port}`);
	});

	it('reports a reset by the server as state reset', async () => {
		const port = await rawServer(socket => {
			socket.write('bye\n', () => socket.resetAndDestroy());
		});
		const bus = new EventBus();
		const log = new EventLog(bus);
		client = new TcpClient(bus, options);
		await client.connect({host: '127.0.0.1', port});
		const reset = await log.waitFor('client.state', event => event.state === 'reset' || event.state === 'closed');
		expect(reset.state).toBe('reset');
		expect(reset.reason).toContain('reset');
	});

	it('shows a tail without newline after a short silence (the tutorial server sends no EOL), timed when it arrived', async () => {
		let written = 0;
		const port = await rawServer(socket => {
			written = Date.now();
			socket.write('Welcome!');
		});
		const bus = new EventBus();
		const log = new EventLog(bus);
		client = new TcpClient(bus, options);
		await client.connect({host: '127.0.0.1', port});
		const received = await log.waitFor('client.received');
		const deliveredAt = Date.now();
		expect(received.text).toBe('Welcome!');
		// Delivered after the idle flush, but its time is the network's: when its bytes came.
		expect(deliveredAt - written).toBeGreaterThanOrEqual(options.idleFlushMs - 1);
		expect(received.ts - written).toBeLessThan(options.idleFlushMs / 2);
	});

	it('reconnects: a second connect replaces the first and both are told', async () => {
		server = await startTestServer();
		const bus = new EventBus();
		const log = new EventLog(bus);
		client = new TcpClient(bus, options);
		await client.connect({host: '127.0.0.1', port: server.port});
		await client.connect({host: 'localhost', port: server.port});
		expect(log.of('client.state').map(event => event.state)).toEqual(['connecting', 'connected', 'closed', 'connecting', 'connected']);
		await server.log.waitForCount('conn.close', 1);
		expect(server.engine.server!.openCount).toBe(1);
	});

	it('talks to an IPv6 server given as [::1]', async () => {
		server = await startTestServer({host: '::1'});
		const bus = new EventBus();
		const log = new EventLog(bus);
		client = new TcpClient(bus, options);
		expect(await client.connect({host: '::1', port: server.port})).toBe('connected');
		await log.waitFor('client.received', event => event.text === 'Welcome!');
	});
});
