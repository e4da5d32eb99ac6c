import {describe, expect, it} from 'vitest';
import {jsonLine} from '../../source/sinks/json-line.js';
import {parseAllowList} from '../../source/net/allow-list.js';
import {ExplainedError} from '../../source/net/errors.js';
import {Peer} from '../helpers/peer.js';
import {serverSession} from '../helpers/session.js';
import {startTestServer} from '../helpers/server.js';

const session = serverSession();
const {start, peer} = session;

describe('TCP server: the greeting protocol', () => {
	it('answers a client that behaves exactly like the tutorial’s (no newline, one message at a time, exit)', async () => {
		const {port, log} = await start();
		const client = await peer(port);
		await client.waitForText('Welcome!\n');
		for (const name of ['Michael', 'Tracy', 'Sarah']) {
			client.write(name);
			// The tutorial waits for each reply before sending the next name.
			await client.waitForText(`Hello, ${name}!\n`);
		}

		client.write('exit');
		client.socket.end();
		const close = await log.waitFor('conn.close');
		expect(close.reason).toBe('exit');
		expect(close.messagesIn).toBe(4);
		expect(client.text).toBe('Welcome!\nHello, Michael!\nHello, Tracy!\nHello, Sarah!\n');
		const open = log.of('conn.open')[0]!;
		expect(open.peer.address).toBe('127.0.0.1');
		expect(open.peer.port).toBe(client.socket.localPort);
		expect(open.local.port).toBe(port);
	});

	it('answers line clients, several lines in one chunk, and a line split across chunks', async () => {
		const {port, log} = await start();
		const client = await peer(port);
		client.write('a\nb\nc\n');
		await client.waitForText('Hello, c!\n');
		client.write('Mic');
		await log.waitFor('conn.read', event => event.bytes === 3);
		client.write('hael\n');
		await client.waitForText('Hello, Michael!\n');
		expect(client.text).toBe('Welcome!\nHello, a!\nHello, b!\nHello, c!\nHello, Michael!\n');
		expect(log.of('conn.message').map(event => event.text)).toEqual(['a', 'b', 'c', 'Michael']);
	});

	it('drops the CR of CRLF lines', async () => {
		const {port, log} = await start();
		const client = await peer(port);
		client.write('Michael\r\nTracy\r\n');
		await client.waitForText('Hello, Tracy!\n');
		expect(log.of('conn.message').map(event => event.text)).toEqual(['Michael', 'Tracy']);
	});

	it('closes on exit mid-stream and ignores what follows it', async () => {
		const {port, log} = await start();
		const client = await peer(port);
		client.write('one\nexit\ntwo\n');
		await client.waitForClose();
		expect(client.text).toBe('Welcome!\nHello, one!\n');
		const close = await log.waitFor('conn.close');
		expect(close.reason).toBe('exit');
		expect(log.of('conn.message').map(event => event.text)).toEqual(['one', 'exit']);
	});

	it('answers the unterminated tail that arrives with EOF, then closes with reason eof', async () => {
		const {port, log} = await start();
		const client = await peer(port);
		client.socket.end('Michael');
		await client.waitForClose();
		expect(client.text).toBe('Welcome!\nHello, Michael!\n');
		const close = await log.waitFor('conn.close');
		expect(close.reason).toBe('eof');
		expect(log.of('conn.end')).toHaveLength(1);
	});

	it('records an abrupt reset as reason reset with byte counts', async () => {
		const {port, log} = await start();
		const client = await peer(port);
		client.write('hi\n');
		await client.waitForText('Hello, hi!\n');
		client.socket.resetAndDestroy();
		const close = await log.waitFor('conn.close');
		expect(close.reason).toBe('reset');
		expect(close.bytesIn).toBe(3);
		expect(close.bytesOut).toBe('Welcome!\nHello, hi!\n'.length);
		expect(session.current().engine.server!.openCount).toBe(0);
	});

	it('keeps binary and invalid UTF-8 exact in the events (base64) and echoes the bytes back', async () => {
		const {port, log} = await start();
		const client = await peer(port);
		const bytes = Buffer.from([0xFF, 0x00, 0x1B, 0x5B, 0x32, 0x4A, 0xC3]);
		client.write(Buffer.concat([bytes, Buffer.from('\n')]));
		const message = await log.waitFor('conn.message');
		expect(Buffer.from(message.base64!, 'base64')).toEqual(bytes);
		await log.waitFor('conn.reply', event => event.kind === 'reply');
		await client.waitForText('Hello, ');
		await client.waitForText('!\n', 'Welcome!\nHello, '.length + bytes.length);
		expect(client.received.subarray('Welcome!\nHello, '.length, -2)).toEqual(bytes);
	});

	it('has the reply on the wire before its events reach any subscriber', async () => {
		const {port, log, engine} = await start();
		const queuedAtReply: Array<number | undefined> = [];
		log.bus.subscribe(event => {
			if (event.type === 'conn.reply' && event.kind === 'reply') {
				queuedAtReply.push(engine.server!.queuedBytes(event.id));
			}
		});
		const client = await peer(port);
		client.write('Michael\nTracy\n');
		await client.waitForText('Hello, Tracy!\n');
		await log.waitForCount('conn.reply', 2, event => event.kind === 'reply');
		// Inside the read the replies sit in the corked socket; by delivery they have been sent.
		expect(queuedAtReply).toEqual([0, 0]);
	});

	it('publishes each read’s events with one timestamp, in the shape the NDJSON templates expect', async () => {
		const {port, log} = await start();
		const client = await peer(port);
		await client.waitForText('Welcome!\n');
		// ASCII, UTF-8, invalid bytes and quotes, all in one read.
		client.write(Buffer.concat([Buffer.from('plain\n"quoted" \\ é ✓\n'), Buffer.from([0xFF, 0x0A])]));
		await log.waitForCount('conn.write', 4);
		const read = log.of('conn.read')[0]!;
		const ofRead = log.events.slice(log.events.indexOf(read) + 1);
		expect(ofRead.map(event => event.type)).toEqual(['conn.message', 'conn.reply', 'conn.write', 'conn.message', 'conn.reply', 'conn.write', 'conn.message', 'conn.reply', 'conn.write']);
		expect(new Set(ofRead.map(event => event.ts))).toEqual(new Set([read.ts]));
		for (const event of log.events) {
			expect(jsonLine(event)).toBe(JSON.stringify(event) + '\n');
		}
	});

	it('uses --framing chunk: one read is one message, as the tutorial', async () => {
		const {port, log} = await start({framing: 'chunk'});
		const client = await peer(port);
		client.write('Mic');
		await client.waitForText('Hello, Mic!\n');
		client.write('hael\n');
		await client.waitForText('Hello, hael!\n');
		expect(log.of('conn.message').map(event => event.text)).toEqual(['Mic', 'hael']);
	});

	it('ends what it sends with --eol crlf or none', async () => {
		const crlf = await start({eol: 'crlf'});
		const first = await peer(crlf.port);
		first.write('x\n');
		await first.waitForText('Hello, x!\r\n');
		expect(first.text).toBe('Welcome!\r\nHello, x!\r\n');
		await crlf.engine.stop();

		const none = await start({eol: 'none'});
		const second = await peer(none.port);
		await second.waitForText('Welcome!');
		second.write('y\n');
		await second.waitForText('Hello, y!');
		expect(second.text).toBe('Welcome!Hello, y!');
	});
});

describe('TCP server: limits', () => {
	it('tells a client over --max-clients that the server is full and closes it', async () => {
		const {port, log} = await start({maxClients: 2});
		const first = await peer(port);
		const second = await peer(port);
		await first.waitForText('Welcome!');
		await second.waitForText('Welcome!');
		const third = await peer(port);
		await third.waitForClose();
		expect(third.text).toMatch(/^Server full \(2 clients\)/);
		const warning = await log.waitFor('conn.warning', event => event.kind === 'server-full');
		const close = await log.waitFor('conn.close', event => event.id === warning.id);
		expect(close.reason).toBe('limit');
		expect(session.current().engine.server!.openCount).toBe(2);
		// The ones inside the limit are still served.
		first.write('still here\n');
		await first.waitForText('Hello, still here!');
	});

	it('delivers an over-long line in bounded pieces with a warning, and keeps serving others', async () => {
		const {port, log} = await start({maxLine: 1024});
		const flooder = await peer(port);
		flooder.write('x'.repeat(5000));
		const warning = await log.waitFor('conn.warning', event => event.kind === 'line-too-long');
		expect(warning.detail).toContain('1024');
		await log.waitForCount('conn.message', 4, event => event.partial === true);
		expect(log.of('conn.message').every(event => event.text.length <= 1024)).toBe(true);
		const other = await peer(port);
		other.write('ok\n');
		await other.waitForText('Hello, ok!');
		flooder.write('\n');
		await log.waitFor('conn.message', event => event.partial !== true && event.id === warning.id);
		const total = log.of('conn.message', event => event.id === warning.id).reduce((sum, event) => sum + event.text.length, 0);
		expect(total).toBe(5000);
	});

	it('pauses a client that never reads once its output passes --max-buffer, and keeps serving others', async () => {
		const {port, log} = await start({maxBuffer: 64 * 1024});
		const hog = await peer(port);
		hog.socket.pause(); // Never reads.
		const line = 'y'.repeat(1000) + '\n';
		// Enough replies to fill the kernel's buffers and then ours.
		const flood = (): void => {
			for (let index = 0; index < 64 && !hog.socket.destroyed; index++) {
				hog.socket.write(line);
			}
		};

		const timer = setInterval(flood, 5);
		try {
			const warning = await log.waitFor('conn.warning', event => event.kind === 'slow-reader');
			expect(warning.detail).toContain('paused');
		} finally {
			clearInterval(timer);
		}

		const other = await peer(port);
		other.write('fine\n');
		await other.waitForText('Hello, fine!');
		// Our side of the hog stays bounded: the limit plus at most one read's replies.
		const hogId = log.of('conn.open', event => event.peer.port === hog.socket.localPort)[0]!.id;
		expect(session.current().engine.server!.queuedBytes(hogId)).toBeLessThan(64 * 1024 + 256 * 1024);
		hog.socket.resume();
		await log.waitFor('conn.warning', event => event.kind === 'resumed');
	});

	it('serves 1,000 concurrent clients, answers every one, and the open count returns to 0', async () => {
		const {port, log} = await start();
		const count = 1000;
		const clients = await Promise.all(Array.from({length: count}, async () => peer(port)));
		await Promise.all(clients.map(async (client, index) => {
			client.write(`client ${index}\n`);
			await client.waitForText(`Hello, client ${index}!\n`);
		}));
		expect(session.current().engine.server!.openCount).toBe(count);
		expect(log.of('conn.reply', event => event.kind === 'reply')).toHaveLength(count);
		for (const client of clients) {
			client.write('exit\n');
		}

		await log.waitForCount('conn.close', count);
		expect(session.current().engine.server!.openCount).toBe(0);
		expect(log.of('conn.close').every(event => event.reason === 'exit')).toBe(true);
	});
});

describe('TCP server: access', () => {
	it('serves only peers inside --allow and closes the rest with a warning', async () => {
		const {port, log} = await start({allow: parseAllowList(['10.0.0.0/8', '::1'])});
		const outsider = await peer(port);
		await outsider.waitForClose();
		expect(outsider.text).toBe('');
		const warning = await log.waitFor('conn.warning', event => event.kind === 'denied');
		expect(warning.detail).toBe('127.0.0.1 is not in --allow 10.0.0.0/8, ::1');
		expect((await log.waitFor('conn.close')).reason).toBe('denied');
		expect(session.current().engine.server!.openCount).toBe(0);
		await session.current().engine.stop();

		const inside = await start({allow: parseAllowList(['127.0.0.0/8'])});
		const member = await peer(inside.port);
		member.write('in\n');
		await member.waitForText('Hello, in!');
	});

	it('closes a connection that stays silent longer than --idle-timeout', async () => {
		const {port, log} = await start({idleTimeoutMs: 200});
		const sleeper = await peer(port);
		await sleeper.waitForClose();
		expect((await log.waitFor('conn.close')).reason).toBe('idle');
		expect((await log.waitFor('conn.warning')).kind).toBe('idle');
		expect(sleeper.text).toBe('Welcome!\n');
	});
});

describe('TCP server: binding', () => {
	it('reports a port in use as a readable error event and rejects', async () => {
		const first = await start();
		const second = startTestServer({port: first.port});
		await expect(second).rejects.toBeInstanceOf(ExplainedError);
		await expect(second).rejects.toThrow(`TCP port ${first.port} is already in use`);
	});

	it('listens on IPv6 loopback and reports the family', async () => {
		const {port, log} = await start({host: '::1'});
		const listening = await log.waitFor('server.listening');
		expect(listening).toMatchObject({host: '::1', family: 'IPv6', loopback: true});
		const client = await Peer.connect(port, '::1');
		client.socket.on('close', () => undefined);
		client.write('six\n');
		await client.waitForText('Hello, six!');
		expect((await log.waitFor('conn.open')).peer.family).toBe('IPv6');
	});

	it('marks a bind beyond loopback in the listening event', async () => {
		const {log} = await start({host: '0.0.0.0'});
		expect((await log.waitFor('server.listening')).loopback).toBe(false);
	});

	it('kicks a connection with reason kicked, and shuts down with reason shutdown', async () => {
		const {port, log, engine} = await start();
		const kicked = await peer(port);
		const stays = await peer(port);
		await kicked.waitForText('Welcome!');
		await stays.waitForText('Welcome!');
		const firstId = log.of('conn.open')[0]!.id;
		expect(engine.server!.kick(firstId)).toBe(true);
		expect((await log.waitFor('conn.close', event => event.id === firstId)).reason).toBe('kicked');
		await engine.stop();
		expect(log.of('conn.close', event => event.id !== firstId)[0]!.reason).toBe('shutdown');
		expect(log.of('server.closed')).toHaveLength(1);
		expect(log.of('udp.closed')).toHaveLength(1);
	});
});
