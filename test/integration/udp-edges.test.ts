import {createSocket, type Socket} from 'node:dgram';
import {afterEach, describe, expect, it} from 'vitest';
import {parseAllowList} from '../../source/net/allow-list.js';
import {parseReplyRule} from '../../source/protocol/reply-rules.js';
import {Peer} from '../helpers/peer.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) {
		socket.close();
	}

	await server?.engine.stop();
	server = undefined;
});

/** Sends one datagram from `from` (an address of this machine) and resolves with the reply. */
async function exchange(port: number, payload: Buffer | string, from = '127.0.0.1', to = '127.0.0.1'): Promise<Buffer> {
	const socket = createSocket(from.includes(':') ? 'udp6' : 'udp4');
	sockets.push(socket);
	await new Promise<void>(resolve => {
		socket.bind(0, from, resolve);
	});
	const reply = new Promise<Buffer>(resolve => socket.once('message', resolve));
	socket.send(payload, port, to);
	return reply;
}

describe('UDP replies follow the datagram, not the TCP line ending', () => {
	it.each([
		['Michael', 'Hello, Michael!'],
		['Tracy\n', 'Hello, Tracy!\n'],
		['Sarah\r\n', 'Hello, Sarah!\r\n'],
		['', 'Hello, !'],
		['\n', 'Hello, !\n'],
	])('answers %j with %j', async (sent, expected) => {
		server = await startTestServer();
		expect((await exchange(server.port, sent)).toString('latin1')).toBe(expected);
	});

	it('uses --eol when it is given explicitly', async () => {
		server = await startTestServer({udpEol: 'crlf'});
		expect((await exchange(server.port, 'Tracy\n')).toString()).toBe('Hello, Tracy!\r\n');
		expect((await exchange(server.port, 'Michael')).toString()).toBe('Hello, Michael!\r\n');
	});

	it('matches reply rules against the message without its line ending', async () => {
		server = await startTestServer({replyRules: [parseReplyRule('^ping$=>pong')]});
		expect((await exchange(server.port, 'ping\n')).toString()).toBe('pong\n');
		expect((await exchange(server.port, 'ping')).toString()).toBe('pong');
	});
});

describe('a server bound to :: serves IPv4 too', () => {
	it('answers an IPv4 datagram and an IPv4 TCP client', async () => {
		server = await startTestServer({host: '::'});
		expect((await exchange(server.port, 'Michael\n', '127.0.0.1', '127.0.0.1')).toString()).toBe('Hello, Michael!\n');
		expect((await exchange(server.port, 'Tracy\n', '::1', '::1')).toString()).toBe('Hello, Tracy!\n');
		const peer = await Peer.connect(server.port, '127.0.0.1');
		await peer.waitForText('Welcome!\n');
		peer.socket.destroy();
	});

	it('applies --allow to IPv4-mapped peers by their IPv4 rules, on TCP and UDP', async () => {
		server = await startTestServer({host: '::', allow: parseAllowList(['127.0.0.1'])});
		expect((await exchange(server.port, 'Michael\n', '127.0.0.1', '127.0.0.1')).toString()).toBe('Hello, Michael!\n');
		const allowed = await Peer.connect(server.port, '127.0.0.1');
		await allowed.waitForText('Welcome!\n');
		allowed.socket.destroy();
		// 127.0.0.2 is outside the rule: its datagram is logged, not answered; its connection closed.
		const denied = createSocket('udp4');
		sockets.push(denied);
		await new Promise<void>(resolve => {
			denied.bind(0, '127.0.0.2', resolve);
		});
		denied.send('Mallory\n', server.port, '127.0.0.1');
		const seen = await server.log.waitFor('udp.datagram', event => event.text === 'Mallory\n');
		expect(seen.denied).toBe(true);
		expect(seen.peer.address).toBe('::ffff:127.0.0.2');
	});
});

describe('a peer cannot freeze the server through an operator\'s rule', () => {
	it('keeps welcoming others while a rule meets a catastrophic input', async () => {
		server = await startTestServer({replyRules: [parseReplyRule('^(a+)+$=>x')]});
		const evil = await Peer.connect(server.port);
		await evil.waitForText('Welcome!\n');
		evil.write(`${'a'.repeat(32)}b\n`);
		await evil.waitForText('Hello, ');
		const other = await Peer.connect(server.port);
		await other.waitForText('Welcome!\n');
		evil.socket.destroy();
		other.socket.destroy();
	});
});
