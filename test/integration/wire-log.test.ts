import {randomBytes} from 'node:crypto';
import {afterEach, describe, expect, it} from 'vitest';
import type {SocketEvent} from '../../source/events.js';
import {payloadBytes} from '../../source/protocol/payload.js';
import {CliProcess, runCli} from '../helpers/cli.js';
import {Peer} from '../helpers/peer.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
const running: CliProcess[] = [];

afterEach(async () => {
	for (const cli of running.splice(0)) {
		cli.child.kill('SIGKILL');
	}

	await server?.engine.stop();
	server = undefined;
});

/** The bytes a connection received, rebuilt from its events alone (the log's promise). */
function bytesIn(events: readonly SocketEvent[], id: number): Buffer {
	const parts: Buffer[] = [];
	for (const event of events) {
		if (event.type === 'conn.message' && event.id === id) {
			parts.push(Buffer.from(event.skipped ?? '', 'latin1'), payloadBytes(event), Buffer.from(event.eol ?? '\n', 'latin1'));
		}

		if (event.type === 'conn.end' && event.id === id && event.skipped !== undefined) {
			parts.push(Buffer.from(event.skipped, 'latin1'));
		}
	}

	return Buffer.concat(parts);
}

function bytesOut(events: readonly SocketEvent[], id: number): Buffer {
	return Buffer.concat(events.filter(event => event.type === 'conn.reply' && event.id === id).map(event => payloadBytes(event as Extract<SocketEvent, {type: 'conn.reply'}>)));
}

describe('the events carry the exact wire bytes', () => {
	it('rebuilds what a peer sent (CRLF, blank lines, binary, a tail) and what it got, byte for byte', async () => {
		server = await startTestServer({greeting: true});
		const peer = await Peer.connect(server.port);
		const sent = Buffer.concat([Buffer.from('Michael\r\n\n\r\nTracy\n'), randomBytes(5000).map(byte => (byte === 0x0A ? 0x0B : byte)), Buffer.from('\n'), Buffer.from([0xFF, 0xFE, 0x0D, 0x0A]), Buffer.from('tail')]);
		peer.write(sent);
		peer.socket.end();
		await peer.waitForClose();
		const close = await server.log.waitFor('conn.close');
		expect(bytesIn(server.log.events, close.id).equals(sent)).toBe(true);
		expect(bytesOut(server.log.events, close.id).equals(peer.received)).toBe(true);
	});

	it('begins every log with a header line naming its schema version', async () => {
		const cli = new CliProcess(['serve', '--json', '--port', '0']);
		running.push(cli);
		const first = JSON.parse(await cli.waitForLine(() => true)) as Record<string, unknown>;
		expect(first).toMatchObject({type: 'log.header', version: 3});
		// A port the OS just gave out and took back: refused, and the log still opens with its header.
		const {createServer} = await import('node:net');
		const probe = createServer();
		const closedPort = await new Promise<number>(resolve => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as {port: number}).port)));
		await new Promise(resolve => probe.close(resolve));
		const connect = await runCli(['connect', '--json', `127.0.0.1:${closedPort}`]);
		expect(JSON.parse(connect.stdout.split('\n')[0]!)).toMatchObject({type: 'log.header', version: 3});
	});
});
