import {connect, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {relayDefaults, TcpRelay, type TcpRelayOptions} from '../../source/net/tcp-relay.js';
import {payloadBytes} from '../../source/protocol/payload.js';
import {parseRewriteRule} from '../../source/protocol/rewrite-rules.js';
import {jsonLine} from '../../source/sinks/json-line.js';
import {EventLog} from '../helpers/collect.js';
import {readToEnd, startPeerServer, type PeerServer} from '../helpers/tcp-peer-server.js';

const relays: TcpRelay[] = [];
const upstreams: PeerServer[] = [];

afterEach(async () => {
	await Promise.all(relays.splice(0).map(async relay => relay.close()));
	await Promise.all(upstreams.splice(0).map(async server => server.close()));
});

type Pair = {relay: TcpRelay; log: EventLog; client: Socket; upstream: Socket; id: number};

/** A relay to a fresh upstream, and one client connected through it. */
async function openPair(options: Partial<TcpRelayOptions> = {}): Promise<Pair> {
	const server = await startPeerServer();
	upstreams.push(server);
	const bus = new EventBus();
	const log = new EventLog(bus);
	const relay = new TcpRelay(bus, {host: '127.0.0.1', port: 0, backlog: 511, upstream: {host: '127.0.0.1', port: server.port}, connectTimeoutMs: 2000, maxClients: 100, idleTimeoutMs: 0, captureBytes: Number.POSITIVE_INFINITY, ...relayDefaults, ...options});
	relays.push(relay);
	const {port} = await relay.listen();
	const client = connect({port, host: '127.0.0.1'});
	client.on('error', () => undefined);
	const open = await log.waitFor('relay.open');
	const upstream = await server.nextSocket();
	return {relay, log, client, upstream, id: open.id};
}

/** Resolves once `socket` has received exactly `expected` in total (and fails on more). */
async function receive(socket: Socket, expected: string): Promise<string> {
	let got = '';
	return new Promise((resolve, reject) => {
		const onData = (chunk: Buffer): void => {
			got += chunk.toString('latin1');
			if (got.length >= expected.length) {
				socket.off('data', onData);
				if (got === expected) {
					resolve(got);
				} else {
					reject(new Error(`received ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`));
				}
			}
		};

		socket.on('data', onData);
	});
}

/** The NDJSON sink's fast path writes each event exactly as JSON.stringify would. */
function expectExactJsonLines(log: EventLog): void {
	for (const event of log.events) {
		expect(jsonLine(event)).toBe(JSON.stringify(event) + '\n');
	}
}

/** A round trip the other way, so anything the relay would have passed on by now has arrived. */
async function roundTripDown(pair: Pair): Promise<void> {
	const got = receive(pair.client, 'ping\n');
	pair.upstream.write('ping\n');
	await got;
}

describe('steering a relayed connection', () => {
	it('holds what arrives in a paused direction, message by message, and releases it in order (one, then all)', async () => {
		const pair = await openPair();
		let upstreamGot = '';
		pair.upstream.on('data', (chunk: Buffer) => {
			upstreamGot += chunk.toString('latin1');
		});
		expect(pair.relay.steer(pair.id, {kind: 'pause', direction: 'up', paused: true})).toBe(true);
		pair.client.write('one\r\ntwo\n\nthree\n');
		await pair.log.waitForCount('relay.held', 4);
		await roundTripDown(pair);
		expect(upstreamGot).toBe('');
		const held = pair.log.of('relay.held');
		expect(held.map(event => [event.seq, event.from, event.text, event.eol ?? '\n', event.skipped ?? ''])).toEqual([[1, 'client', 'one', '\r\n', ''], [2, 'client', 'two', '\n', ''], [3, 'client', '', '\n', ''], [4, 'client', 'three', '\n', '']]);

		expect(pair.relay.steer(pair.id, {kind: 'release', all: false})).toBe(true);
		await pair.log.waitFor('relay.data', event => event.released === 1);
		for (let attempt = 0; attempt < 200 && upstreamGot.length < 5; attempt++) {
			await new Promise(resolve => setImmediate(resolve));
		}

		expect(upstreamGot).toBe('one\r\n');
		expect(pair.relay.steer(pair.id, {kind: 'release', all: true})).toBe(true);
		await pair.log.waitFor('relay.data', event => event.released === 4);
		// Still paused: a new line is held too, then passes when the direction is resumed.
		pair.client.write('four\n');
		await pair.log.waitFor('relay.held', event => event.seq === 5);
		const rest = receive(pair.upstream, 'one\r\ntwo\n\nthree\nfour\n'.slice(upstreamGot.length));
		pair.relay.steer(pair.id, {kind: 'pause', direction: 'up', paused: false});
		await rest;
		expect(pair.log.of('relay.pause').map(event => [event.from, event.paused])).toEqual([['client', true], ['client', false]]);
	});

	it('sends an edited held message in place of the original and never sends a dropped one', async () => {
		const pair = await openPair();
		pair.relay.steer(pair.id, {kind: 'pause', direction: 'down', paused: true});
		pair.upstream.write('alpha\r\nbeta\r\ngamma\r\n');
		await pair.log.waitForCount('relay.held', 3);
		const got = receive(pair.client, 'ALPHA!\r\ngamma\r\n');
		expect(pair.relay.steer(pair.id, {kind: 'edit', seq: 1, text: 'ALPHA!'})).toBe(true);
		expect(pair.relay.steer(pair.id, {kind: 'drop', seq: 2})).toBe(true);
		expect(pair.relay.steer(pair.id, {kind: 'drop', seq: 2})).toBe(false);
		pair.relay.steer(pair.id, {kind: 'release', all: true});
		await got;
		const edited = pair.log.of('relay.data', event => event.released === 1)[0]!;
		expect(payloadBytes(edited).toString()).toBe('ALPHA!\r\n');
		expect(edited.edited).toEqual({text: 'alpha'});
		expect(pair.log.of('relay.drop')).toMatchObject([{seq: 2, from: 'upstream', bytes: 6}]);
		expectExactJsonLines(pair.log);
	});

	it('edits in hex: any bytes, the line ending kept', async () => {
		const pair = await openPair();
		pair.relay.steer(pair.id, {kind: 'pause', direction: 'up', paused: true});
		pair.client.write('x\n');
		await pair.log.waitFor('relay.held');
		const got = receive(pair.upstream, '\u0000\u00FF\n');
		expect(pair.relay.steer(pair.id, {kind: 'edit', seq: 1, hex: '00 ff'})).toBe(true);
		pair.relay.steer(pair.id, {kind: 'release', all: false});
		await got;
	});

	it('passes the end of a paused direction on only after what it holds has gone', async () => {
		const pair = await openPair();
		pair.relay.steer(pair.id, {kind: 'pause', direction: 'up', paused: true});
		const upstreamGot = readToEnd(pair.upstream);
		pair.client.end('last words\nno newline');
		await pair.log.waitForCount('relay.held', 2);
		await roundTripDown(pair);
		expect(pair.upstream.readableEnded).toBe(false);
		pair.relay.steer(pair.id, {kind: 'release', all: true});
		expect((await upstreamGot).toString()).toBe('last words\nno newline');
	});

	it('injects a message in either direction', async () => {
		const pair = await openPair();
		const up = receive(pair.upstream, 'to upstream\n');
		const down = receive(pair.client, 'to client\r\n');
		expect(pair.relay.steer(pair.id, {kind: 'inject', direction: 'up', text: 'to upstream\n'})).toBe(true);
		expect(pair.relay.steer(pair.id, {kind: 'inject', direction: 'down', text: 'to client\r\n'})).toBe(true);
		await Promise.all([up, down]);
		expect(pair.log.of('relay.data', event => event.injected === true).map(event => [event.from, event.text])).toEqual([['client', 'to upstream\n'], ['upstream', 'to client\r\n']]);
		expect(pair.relay.steer(99, {kind: 'inject', direction: 'up', text: 'x'})).toBe(false);
		expectExactJsonLines(pair.log);
	});

	it('rewrites each direction by its own rules, keeps line endings, and logs the original', async () => {
		const pair = await openPair({rewrite: [parseRewriteRule('up:^GET /old=>GET /new'), parseRewriteRule('down:secret-\\d+=>[redacted]')]});
		const up = receive(pair.upstream, 'GET /new HTTP/1.0\r\nHost: secret-1\r\n\r\n');
		pair.client.write('GET /old HTTP/1.0\r\nHost: secret-1\r\n\r\n');
		await up;
		const down = receive(pair.client, 'a [redacted] and [redacted]\n');
		pair.upstream.write('a secret-12 and secret-345\n');
		await down;
		const rewritten = pair.log.of('relay.data', event => event.rewritten !== undefined);
		expect(rewritten.map(event => [event.from, event.text, event.rewritten])).toEqual([
			['client', 'GET /new HTTP/1.0\r\n', {rule: 'up:^GET /old=>GET /new', text: 'GET /old HTTP/1.0\r\n'}],
			['upstream', 'a [redacted] and [redacted]\n', {rule: 'down:secret-\\d+=>[redacted]', text: 'a secret-12 and secret-345\n'}],
		]);
		expectExactJsonLines(pair.log);
	});

	it('stops reading a paused side past the held bound (TCP backpressure), says so, and loses nothing', async () => {
		const pair = await openPair({maxHeldBytes: 4096});
		pair.relay.steer(pair.id, {kind: 'pause', direction: 'up', paused: true});
		const line = `${'x'.repeat(99)}\n`;
		const all = line.repeat(100_000); // 10 MB: far more than the socket buffers hold.
		const upstreamGot = receive(pair.upstream, all);
		pair.client.write(all);
		const blocked = await pair.log.waitFor('relay.blocked');
		expect(blocked).toMatchObject({from: 'client', blocked: true, limit: 4096});
		await roundTripDown(pair);
		const heldBytes = pair.log.of('relay.held').reduce((sum, event) => sum + event.bytes, 0);
		expect(heldBytes).toBeLessThan(4096 + 128 * 1024);
		expect(pair.client.writableLength).toBeGreaterThan(0);
		pair.relay.steer(pair.id, {kind: 'pause', direction: 'up', paused: false});
		await upstreamGot;
		expect(pair.log.of('relay.blocked').at(-1)).toMatchObject({blocked: false});
	}, 30_000);
});

describe('an upstream that cannot be reached', () => {
	it('closes the client at once with reason timeout when the upstream never answers, and unresolved for a name that does not resolve', async () => {
		const {spawn} = await import('node:child_process');
		// A listener whose accept queue is full and never drained: the kernel drops further SYNs,
		// so a connect to it hangs until our timeout.
		const child = spawn(process.execPath, ['-e', "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{console.log(s.address().port);for(;;){}})"], {stdio: ['ignore', 'pipe', 'inherit']});
		try {
			const port = await new Promise<number>(resolve => {
				child.stdout.once('data', (text: Buffer) => resolve(Number(text.toString().trim())));
			});
			// Its loop blocked right after printing the port (a pipe's write is synchronous on Linux).
			const fillers = Array.from({length: 4}, () => connect({port, host: '127.0.0.1'}).on('error', () => undefined));
			const bus = new EventBus();
			const log = new EventLog(bus);
			const relay = new TcpRelay(bus, {host: '127.0.0.1', port: 0, backlog: 511, upstream: {host: '127.0.0.1', port}, connectTimeoutMs: 300, maxClients: 100, idleTimeoutMs: 0, captureBytes: Number.POSITIVE_INFINITY, ...relayDefaults});
			relays.push(relay);
			const bound = await relay.listen();
			const client = connect({port: bound.port, host: '127.0.0.1'});
			client.on('error', () => undefined);
			await new Promise(resolve => client.once('close', resolve));
			const close = await log.waitFor('relay.close');
			expect(close.reason).toBe('timeout');
			expect(close.error).toContain('did not answer within 300 ms');
			for (const filler of fillers) {
				filler.destroy();
			}
		} finally {
			child.kill('SIGKILL');
		}

		const bus = new EventBus();
		const log = new EventLog(bus);
		const relay = new TcpRelay(bus, {host: '127.0.0.1', port: 0, backlog: 511, upstream: {host: 'no-such-host.invalid', port: 80}, connectTimeoutMs: 5000, maxClients: 100, idleTimeoutMs: 0, captureBytes: Number.POSITIVE_INFINITY, ...relayDefaults});
		relays.push(relay);
		const bound = await relay.listen();
		const client = connect({port: bound.port, host: '127.0.0.1'});
		client.on('error', () => undefined);
		await new Promise(resolve => client.once('close', resolve));
		expect((await log.waitFor('relay.close')).reason).toBe('unresolved');
	}, 20_000);
});

describe('relay tls://', () => {
	async function tlsRelay(port: number, host: string, upstreamTls: {insecure: boolean; ca?: string}) {
		const bus = new EventBus();
		const log = new EventLog(bus);
		const relay = new TcpRelay(bus, {host: '127.0.0.1', port: 0, backlog: 511, upstream: {host, port}, connectTimeoutMs: 5000, maxClients: 100, idleTimeoutMs: 0, captureBytes: Number.POSITIVE_INFINITY, ...relayDefaults, upstreamTls});
		relays.push(relay);
		const bound = await relay.listen();
		return {log, port: bound.port};
	}

	it('speaks TLS to the upstream (SNI for a name), plain to the client: the client\'s bytes arrive, the answer and the half-close come back', async () => {
		const {startTlsServer} = await import('../helpers/tls-server.js');
		let servername: string | false | null | undefined;
		const server = await startTlsServer(socket => {
			servername = socket.servername;
			void readToEnd(socket).then(received => socket.end(Buffer.concat([Buffer.from('got: '), received])));
		});
		try {
			const {log, port} = await tlsRelay(server.port, 'localhost', {insecure: false, ca: server.cert});
			const client = connect({port, host: '127.0.0.1'});
			const answer = readToEnd(client);
			client.end('hello over TLS\n');
			expect((await answer).toString()).toBe('got: hello over TLS\n');
			expect(servername).toBe('localhost');
			const open = await log.waitFor('relay.open');
			expect(open.tls).toMatchObject({authorized: true, protocol: expect.stringMatching(/^TLSv1\.[23]$/), subject: expect.stringContaining('CN=localhost')});
			expect(open.tls!.fingerprint256).toMatch(/^([\dA-F]{2}:){31}[\dA-F]{2}$/);
			expect((await log.waitFor('relay.close')).reason).toBe('closed');
		} finally {
			await server.close();
		}
	});

	it('refuses a certificate that does not verify (reason tls-error, the fix named) unless --insecure', async () => {
		const {startTlsServer} = await import('../helpers/tls-server.js');
		const server = await startTlsServer(socket => {
			socket.end('secret\n');
		});
		try {
			const strict = await tlsRelay(server.port, '127.0.0.1', {insecure: false});
			const client = connect({port: strict.port, host: '127.0.0.1'});
			client.on('error', () => undefined);
			expect((await readToEnd(client)).length).toBe(0);
			const close = await strict.log.waitFor('relay.close');
			expect(close.reason).toBe('tls-error');
			expect(close.error).toContain('--insecure');

			const lax = await tlsRelay(server.port, '127.0.0.1', {insecure: true});
			const second = connect({port: lax.port, host: '127.0.0.1'});
			expect((await readToEnd(second)).toString()).toBe('secret\n');
			expect((await lax.log.waitFor('relay.open')).tls?.authorized).toBe(false);
		} finally {
			await server.close();
		}
	});
});

describe('relay events when only the screen watches', () => {
	it('carry the last lines of a long read (elided counts the rest), the counts exact', async () => {
		const pair = await openPair({payloadPerEvent: 100});
		const lines = Array.from({length: 50}, (_, index) => `line ${index}\n`).join('');
		const got = receive(pair.upstream, lines);
		pair.client.write(lines);
		await got;
		const data = pair.log.of('relay.data');
		expect(data.reduce((sum, event) => sum + event.bytes, 0)).toBe(lines.length);
		for (const event of data) {
			expect(event.captured).toBeLessThanOrEqual(100);
			// What is carried is a run of whole lines of the read, from a line's start.
			expect(lines.includes(event.text) && event.text.startsWith('line')).toBe(true);
			expect(event.captured + (event.elided ?? 0)).toBe(event.bytes);
		}

		expect(data.some(event => (event.elided ?? 0) > 0)).toBe(true);
		expectExactJsonLines(pair.log);
	});
});
