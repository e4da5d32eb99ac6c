import {afterEach, describe, expect, it} from 'vitest';
import {explainEvent} from '../../source/wording/explain.js';
import {pythonBytes} from '../../source/protocol/python-bytes.js';
import {Peer} from '../helpers/peer.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.engine.stop();
	server = undefined;
});

describe('--explain', () => {
	it('tells the tutorial client\'s whole life in the tutorial\'s calls: bind/listen, accept, recv, sendall, the FIN, close', async () => {
		server = await startTestServer({udp: false});
		const peer = await Peer.connect(server.port);
		await peer.waitForText('Welcome!\n');
		peer.write('Michael'); // As the tutorial's client: no newline.
		await peer.waitForText('Hello, Michael!\n');
		peer.write('exit');
		await peer.waitForClose();
		await server.log.waitFor('conn.close');
		const calls = server.log.events.map(event => explainEvent(event)).filter((line): line is string => line !== undefined).map(line => line.split('   #')[0]!.trim());
		expect(calls).toEqual([
			`s = socket(AF_INET, SOCK_STREAM); s.bind(('127.0.0.1', ${server.port})); s.listen(${server.engine.config.backlog})`,
			'conn, addr = s.accept()',
			'conn.sendall(b\'Welcome!\\n\')',
			'conn.recv(1024) -> 7 bytes',
			'framing: a tail with no line ending (delivered after a quiet while, or at the FIN): b\'Michael\'',
			'conn.sendall(b\'Hello, Michael!\\n\')',
			'conn.recv(1024) -> 4 bytes',
			'framing: a tail with no line ending (delivered after a quiet while, or at the FIN): b\'exit\'',
			'conn.recv(1024) -> b\'\'',
			'conn.close()',
		]);
	});

	it('writes bytes as Python does', () => {
		expect(pythonBytes(Buffer.from([0x41, 0x0A, 0x0D, 0x09, 0x5C, 0x27, 0x00, 0xFF]))).toBe(String.raw`b'A\n\r\t\\\'\x00\xff'`);
		expect(pythonBytes(Buffer.alloc(50, 0x61))).toBe(`b'${'a'.repeat(48)}'…(+2 bytes)`);
	});
});

describe('--explain: what the kernel did', () => {
	it('reads ListenOverflows and TIME_WAIT from /proc-style files, and says when they cannot be seen', async () => {
		const {mkdtempSync, writeFileSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		const {inTimeWait, listenOverflows} = await import('../../source/net/kernel-watch.js');
		const dir = mkdtempSync(join(tmpdir(), 'socket-tui-proc-'));
		writeFileSync(join(dir, 'netstat'), 'TcpExt: SyncookiesSent ListenOverflows ListenDrops\nTcpExt: 1 42 43\nIpExt: InNoRoutes\nIpExt: 0\n');
		expect(listenOverflows(join(dir, 'netstat'))).toBe(42);
		expect(listenOverflows(join(dir, 'missing'))).toBeUndefined();
		writeFileSync(join(dir, 'tcp'), '  sl  local_address rem_address   st\n   0: 0100007F:270F 0100007F:C350 06 00000000:00000000\n   1: 0100007F:270F 0100007F:C351 01 00000000:00000000\n');
		expect(inTimeWait(9999, 50_000, [join(dir, 'tcp')])).toBe(true);
		expect(inTimeWait(50_001, 9999, [join(dir, 'tcp')])).toBe(false);
		expect(inTimeWait(1, 2, [join(dir, 'missing')])).toBeUndefined();
	});

	it('tells a port held only by TIME_WAIT connections from one a server listens on, and says so when a listen fails', async () => {
		const {mkdtempSync, writeFileSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const {join} = await import('node:path');
		const {portHolders} = await import('../../source/net/kernel-watch.js');
		const {explainBindError} = await import('../../source/net/errors.js');
		const dir = mkdtempSync(join(tmpdir(), 'socket-tui-proc-'));
		const table = (rows: string[]): string => `  sl  local_address rem_address   st\n${rows.map((row, index) => `   ${index}: ${row} 00000000:00000000`).join('\n')}\n`;
		writeFileSync(join(dir, 'tw'), table(['0100007F:270F 0100007F:C350 06', '0100007F:C351 0100007F:270F 01']));
		writeFileSync(join(dir, 'listen'), table(['0100007F:270F 00000000:0000 0A', '0100007F:270F 0100007F:C350 06']));
		writeFileSync(join(dir, 'open'), table(['0100007F:270F 0100007F:C350 01']));
		expect(portHolders(9999, [join(dir, 'tw')])).toEqual({listening: false, timeWaitOnly: true});
		expect(portHolders(9999, [join(dir, 'listen')])).toEqual({listening: true, timeWaitOnly: false});
		expect(portHolders(9999, [join(dir, 'open')])).toEqual({listening: false, timeWaitOnly: false});
		expect(portHolders(9999, [join(dir, 'missing')])).toBeUndefined();
		const inUse = Object.assign(new Error('listen EADDRINUSE'), {code: 'EADDRINUSE'});
		expect(explainBindError(inUse, '127.0.0.1', 9999, 'TCP', true).message).toBe('TCP port 9999 is held by closed connections in TIME-WAIT, not by a server (TCP 127.0.0.1:9999)');
		expect(explainBindError(inUse, '127.0.0.1', 9999, 'TCP').message).toBe('TCP port 9999 is already in use (TCP 127.0.0.1:9999)');
	});

	it.skipIf(process.platform !== 'linux')('sees the server\'s side of a connection it closed in TIME_WAIT, on this machine', async () => {
		const {watchKernel} = await import('../../source/net/kernel-watch.js');
		server = await startTestServer({udp: false});
		const stop = watchKernel(server.engine.bus);
		try {
			const peer = await Peer.connect(server.port);
			await peer.waitForText('Welcome!\n');
			peer.write('exit\n'); // The server closes first: its side lingers in TIME_WAIT.
			await peer.waitForClose();
			const event = await server.log.waitFor('kernel.time-wait');
			expect(event.localPort).toBe(server.port);
			expect(explainEvent(event)).toMatch(/TIME_WAIT \(\/proc\/net\/tcp\)/);
		} finally {
			stop();
		}
	});
});

describe('--explain: TIME_WAIT when the peer\'s FIN comes late', () => {
	it.skipIf(process.platform !== 'linux')('looks again after the close: the server closed first and the peer kept its side open a while', async () => {
		const {connect} = await import('node:net');
		const {once} = await import('node:events') as unknown as {once: (emitter: NodeJS.EventEmitter, name: string) => Promise<unknown[]>};
		const {watchKernel} = await import('../../source/net/kernel-watch.js');
		// The server stops waiting for the peer's FIN after 100 ms (its socket then waits in FIN_WAIT_2).
		server = await startTestServer({udp: false, lingerMs: 100});
		const stop = watchKernel(server.engine.bus);
		try {
			const socket = connect({port: server.port, host: '127.0.0.1', allowHalfOpen: true});
			await once(socket, 'data');
			socket.write('exit\n');
			await once(socket, 'end');
			await server.log.waitFor('conn.close');
			expect(server.log.of('kernel.time-wait')).toHaveLength(0);
			socket.end(); // The peer's FIN, late: now the server's side is in TIME_WAIT.
			const event = await server.log.waitFor('kernel.time-wait');
			expect(event.localPort).toBe(server.port);
			socket.destroy();
		} finally {
			stop();
		}
	});
});

describe('--explain for a relay', () => {
	it('tells a relay\'s life as the calls a relay in Python would make: accept and connect, recv and sendall each way, the FINs passed on', () => {
		const endpoint = (port: number) => ({address: '127.0.0.1', port, family: 'IPv4' as const});
		const lines = [
			explainEvent({type: 'relay.listening', ts: 1, host: '127.0.0.1', port: 8080, family: 'IPv4', loopback: true, upstream: {host: '127.0.0.1', port: 9999}}),
			explainEvent({type: 'relay.open', ts: 1, id: 1, client: endpoint(5000), local: endpoint(8080), upstream: {host: '127.0.0.1', port: 9999}, upstreamPeer: endpoint(9999), connectMs: 0.4}),
			explainEvent({type: 'relay.data', ts: 1, id: 1, from: 'upstream', bytes: 9, captured: 9, text: 'Welcome!\n'}),
			explainEvent({type: 'relay.data', ts: 1, id: 1, from: 'client', bytes: 7, captured: 7, text: 'Michael'}),
			explainEvent({type: 'relay.data', ts: 1, id: 1, from: 'client', bytes: 5000, captured: 0, text: ''}),
			explainEvent({type: 'relay.end', ts: 1, id: 1, from: 'client'}),
			explainEvent({type: 'relay.close', ts: 1, id: 1, reason: 'closed', bytesUp: 5007, bytesDown: 9, durationMs: 3}),
		];
		expect(lines).toEqual([
			's = socket(AF_INET, SOCK_STREAM); s.bind((\'127.0.0.1\', 8080)); s.listen()   # a relay: each client gets its own connection to (\'127.0.0.1\', 9999)',
			'client, addr = s.accept(); up = socket.create_connection((\'127.0.0.1\', 9999))   # #1: addr = (\'127.0.0.1\', 5000); connected in 0.4 ms',
			'data = up.recv(65536) -> b\'Welcome!\\n\'; client.sendall(data)   # #1',
			'data = client.recv(65536) -> b\'Michael\'; up.sendall(data)   # #1',
			'data = client.recv(65536) -> 5000 bytes; up.sendall(data)   # #1',
			'client.recv(65536) -> b\'\'; up.shutdown(SHUT_WR)   # #1: its FIN, passed on',
			'client.close(); up.close()   # #1: both sides finished; 5007 bytes up, 9 down',
		]);
	});
});

describe('--explain for a relay of datagrams', () => {
	it('tells the clients\' side as one socket, recvfrom and sendto, and each client address\'s own upstream socket', async () => {
		const {explainer} = await import('../../source/wording/explain.js');
		const explain = explainer();
		const endpoint = (port: number) => ({address: '127.0.0.1', port, family: 'IPv4' as const});
		const lines = [
			explain({type: 'relay.listening', ts: 1, host: '127.0.0.1', port: 8080, family: 'IPv4', loopback: true, upstream: {host: '127.0.0.1', port: 9999}, transport: 'udp'}),
			explain({type: 'relay.open', ts: 1, id: 1, client: endpoint(5000), local: endpoint(8080), upstream: {host: '127.0.0.1', port: 9999}, upstreamPeer: endpoint(9999), connectMs: 0, transport: 'udp'}),
			explain({type: 'relay.data', ts: 1, id: 1, from: 'client', bytes: 7, captured: 7, text: 'Michael'}),
			explain({type: 'relay.data', ts: 1, id: 1, from: 'upstream', bytes: 15, captured: 15, text: 'Hello, Michael!'}),
			explain({type: 'relay.close', ts: 1, id: 1, reason: 'idle', bytesUp: 7, bytesDown: 15, durationMs: 60_000}),
		];
		expect(lines.slice(2)).toEqual([
			'data, addr = u.recvfrom(65536) -> b\'Michael\'; up.send(data)   # #1',
			'data = up.recv(65536) -> b\'Hello, Michael!\'; u.sendto(data, addr)   # #1',
			'up.close()   # #1: idle: this client address is forgotten; 7 bytes up, 15 down',
		]);
		expect(lines[0]).toMatch(/^u = socket\(AF_INET, SOCK_DGRAM\)/);
	});
});
