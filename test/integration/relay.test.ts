import {randomBytes} from 'node:crypto';
import {connect, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {relayDefaults, TcpRelay, type TcpRelayOptions} from '../../source/net/tcp-relay.js';
import {payloadBytes} from '../../source/protocol/payload.js';
import {CliProcess} from '../helpers/cli.js';
import {EventLog} from '../helpers/collect.js';
import {Peer} from '../helpers/peer.js';
import {startTestServer, type TestServer} from '../helpers/server.js';
import {readToEnd, startPeerServer, type PeerServer} from '../helpers/tcp-peer-server.js';

const relays: TcpRelay[] = [];
const upstreams: PeerServer[] = [];
const running: CliProcess[] = [];
let greeting: TestServer | undefined;

afterEach(async () => {
	for (const cli of running.splice(0)) {
		cli.child.kill('SIGKILL');
	}

	await Promise.all(relays.splice(0).map(async relay => relay.close()));
	await Promise.all(upstreams.splice(0).map(async server => server.close()));
	await greeting?.engine.stop();
	greeting = undefined;
});

async function relayTo(port: number, options: Partial<TcpRelayOptions> = {}): Promise<{relay: TcpRelay; log: EventLog; port: number}> {
	const bus = new EventBus();
	const log = new EventLog(bus);
	const relay = new TcpRelay(bus, {host: '127.0.0.1', port: 0, backlog: 511, upstream: {host: '127.0.0.1', port}, connectTimeoutMs: 2000, maxClients: 100, idleTimeoutMs: 0, captureBytes: Number.POSITIVE_INFINITY, ...relayDefaults, ...options});
	relays.push(relay);
	const bound = await relay.listen();
	return {relay, log, port: bound.port};
}

/** Writes `bytes` in random pieces, then half-closes. */
async function sendInPieces(socket: Socket, bytes: Buffer): Promise<void> {
	for (let offset = 0; offset < bytes.length;) {
		const size = 1 + Math.floor(Math.random() * 40_000);
		if (!socket.write(bytes.subarray(offset, offset + size))) {
			await new Promise(resolve => socket.once('drain', resolve));
		}

		offset += size;
	}

	socket.end();
}

describe('socket-tui relay', () => {
	it('passes 1 MB of random binary each way unchanged, in random pieces, half-closes both ways, and logs every byte', async () => {
		const up = randomBytes(1024 * 1024);
		const down = randomBytes(1024 * 1024);
		let upstreamGot: Promise<Buffer> | undefined;
		const upstream = await startPeerServer(socket => {
			upstreamGot = readToEnd(socket);
			void sendInPieces(socket, down);
		});
		upstreams.push(upstream);
		const {log, port} = await relayTo(upstream.port);
		const client = connect({port, host: '127.0.0.1'});
		await new Promise(resolve => client.once('connect', resolve));
		const clientGot = readToEnd(client);
		await sendInPieces(client, up);
		expect((await clientGot).equals(down)).toBe(true);
		expect((await upstreamGot!).equals(up)).toBe(true);
		const close = await log.waitFor('relay.close');
		expect(close).toMatchObject({reason: 'closed', bytesUp: up.length, bytesDown: down.length});
		const logged = (from: 'client' | 'upstream'): Buffer => Buffer.concat(log.of('relay.data', event => event.from === from).map(event => payloadBytes(event)));
		expect(logged('client').equals(up)).toBe(true);
		expect(logged('upstream').equals(down)).toBe(true);
		expect(log.of('relay.end').map(event => event.from).sort()).toEqual(['client', 'upstream']);
	});

	it('passes a reset on as a reset, both ways', async () => {
		const upstream = await startPeerServer();
		upstreams.push(upstream);
		const {log, port} = await relayTo(upstream.port);
		const client = connect({port, host: '127.0.0.1'});
		const clientError = new Promise<NodeJS.ErrnoException>(resolve => client.once('error', resolve));
		await log.waitFor('relay.open');
		(await upstream.nextSocket()).resetAndDestroy();
		expect((await clientError).code).toBe('ECONNRESET');
		expect((await log.waitFor('relay.close')).reason).toBe('upstream-reset');

		const second = connect({port, host: '127.0.0.1'});
		await log.waitFor('relay.open', event => event.id === 2);
		const upstreamSide = await upstream.nextSocket();
		const upstreamError = new Promise<NodeJS.ErrnoException>(resolve => upstreamSide.once('error', resolve));
		second.resetAndDestroy();
		expect((await upstreamError).code).toBe('ECONNRESET');
		expect((await log.waitFor('relay.close', event => event.id === 2)).reason).toBe('client-reset');
	});

	it('closes the client at once when the upstream refuses, with the reason, and keeps serving', async () => {
		const gone = await startPeerServer();
		const port = gone.port;
		await gone.close();
		const {log, port: relayPort} = await relayTo(port);
		for (let attempt = 0; attempt < 2; attempt++) {
			const client = connect({port: relayPort, host: '127.0.0.1'});
			client.on('error', () => undefined);
			await new Promise(resolve => client.once('close', resolve));
		}

		const closes = await log.waitForCount('relay.close', 2);
		void closes;
		expect(log.of('relay.close').map(event => event.reason)).toEqual(['refused', 'refused']);
		expect(log.of('relay.close')[0]!.error).toContain('connection refused');
	});

	it('keeps only --capture-bytes of payload per direction in the log, the counts exact', async () => {
		const upstream = await startPeerServer(socket => {
			void readToEnd(socket).then(received => socket.end(received));
		});
		upstreams.push(upstream);
		const {log, port} = await relayTo(upstream.port, {captureBytes: 10});
		const client = connect({port, host: '127.0.0.1'});
		const got = readToEnd(client);
		client.end('0123456789abcdefghij');
		expect((await got).toString()).toBe('0123456789abcdefghij');
		const close = await log.waitFor('relay.close');
		expect(close.bytesUp).toBe(20);
		const upData = log.of('relay.data', event => event.from === 'client');
		expect(Buffer.concat(upData.map(event => payloadBytes(event))).toString()).toBe('0123456789');
		expect(upData.reduce((sum, event) => sum + event.bytes, 0)).toBe(20);
	});

	it('runs from the CLI: the tutorial\'s protocol through the relay, every step in --json', async () => {
		greeting = await startTestServer();
		const cli = new CliProcess(['relay', `127.0.0.1:${greeting.port}`, '--port', '0', '--json']);
		running.push(cli);
		const listening = JSON.parse(await cli.waitForLine(line => line.includes('"relay.listening"'))) as {port: number};
		const peer = await Peer.connect(listening.port);
		await peer.waitForText('Welcome!\n');
		peer.write('Michael\n');
		await peer.waitForText('Hello, Michael!\n');
		peer.write('exit\n');
		await peer.waitForClose();
		await cli.waitForLine(line => line.includes('"relay.close"'));
		const types = cli.events().map(event => event.type);
		expect(types[0]).toBe('log.header');
		expect(types).toEqual(expect.arrayContaining(['relay.open', 'relay.data', 'relay.end', 'relay.close']));
	});
});

describe('socket-tui relay under churn and a reader that never reads', () => {
	it('returns to no open pairs and its baseline of descriptors after 2,000 connect/reset cycles', async () => {
		const {readdirSync} = await import('node:fs');
		// An upstream that reads, and closes its side when the client has closed its own.
		const upstream = await startPeerServer(socket => {
			socket.on('data', () => undefined);
			socket.on('end', () => socket.end());
		});
		upstreams.push(upstream);
		const {relay, log, port} = await relayTo(upstream.port);
		const fds = (): number => readdirSync('/proc/self/fd').length;
		const before = fds();
		for (let round = 0; round < 2000; round += 50) {
			await Promise.all(Array.from({length: 50}, async (_, index) => new Promise<void>(resolve => {
				const client = connect({port, host: '127.0.0.1'});
				client.on('error', () => undefined);
				client.once('close', () => resolve());
				client.once('connect', () => {
					client.write(randomBytes(64));
					// Half of them reset, half close cleanly.
					if ((round + index) % 2 === 0) {
						client.resetAndDestroy();
					} else {
						client.end();
					}
				});
			})));
		}

		await log.waitForCount('relay.close', 2000);
		expect(relay.openCount).toBe(0);
		// Give the upstream's side of the last pairs its close, then count (bounded wait).
		for (let attempt = 0; attempt < 100 && fds() > before + 2; attempt++) {
			await new Promise(resolve => setTimeout(resolve, 20));
		}

		expect(fds()).toBeLessThanOrEqual(before + 2);
	}, 60_000);

	it('holds a fast upstream back while its client does not read: memory stays bounded', async () => {
		const {spawn} = await import('node:child_process');
		const {cliPath, childEnv, nodePath} = await import('../helpers/cli.js');
		const {readFileSync} = await import('node:fs');
		const chunk = Buffer.alloc(1024 * 1024, 0x61);
		let written = 0;
		const upstream = await startPeerServer(socket => {
			const pump = (): void => {
				while (written < 300 * chunk.length) {
					written += chunk.length;
					if (!socket.write(chunk)) {
						socket.once('drain', pump);
						return;
					}
				}
			};

			pump();
		});
		upstreams.push(upstream);
		const child = spawn(nodePath, [cliPath, 'relay', `127.0.0.1:${upstream.port}`, '--port', '0', '--json', '--capture-bytes', '0'], {env: childEnv(), stdio: ['ignore', 'pipe', 'inherit']});
		try {
			let output = '';
			child.stdout.setEncoding('utf8');
			const port = await new Promise<number>(resolve => {
				child.stdout.on('data', (text: string) => {
					output = (output + text).slice(-10_000);
					const match = /"relay.listening"[^\n]*"port":(\d+)/.exec(output);
					if (match) {
						resolve(Number(match[1]));
					}
				});
			});
			const peakMb = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid!}/status`, 'utf8'))![1]) / 1024;
			const start = peakMb();
			const client = connect({port, host: '127.0.0.1'});
			client.pause(); // Never reads.
			await new Promise(resolve => client.once('connect', resolve));
			// The upstream can only get a few MB ahead (socket buffers), then waits: it is held back.
			let last = -1;
			for (let attempt = 0; attempt < 100 && written !== last; attempt++) {
				last = written;
				await new Promise(resolve => setTimeout(resolve, 50));
			}

			expect(written).toBeLessThan(64 * chunk.length);
			expect(peakMb() - start).toBeLessThan(100);
			client.destroy();
		} finally {
			child.kill('SIGKILL');
		}
	}, 60_000);
});

describe('socket-tui relay stopping', () => {
	it('logs every open connection closed (reason shutdown) before it says it stopped', async () => {
		const upstream = await startPeerServer();
		upstreams.push(upstream);
		const {relay, log, port} = await relayTo(upstream.port);
		const client = connect({port, host: '127.0.0.1'});
		client.on('error', () => undefined);
		await log.waitFor('relay.open');
		await relay.close();
		relays.splice(relays.indexOf(relay), 1);
		const types = log.events.map(event => event.type);
		expect(log.of('relay.close')[0]?.reason).toBe('shutdown');
		expect(types.indexOf('relay.close')).toBeLessThan(types.indexOf('server.closed'));
	});
});
