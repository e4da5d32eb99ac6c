import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {jsonLine} from '../../source/sinks/json-line.js';
import {Peer} from '../helpers/peer.js';
import {PtyScreen} from '../helpers/pty-screen.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
let screen: PtyScreen | undefined;
afterEach(async () => {
	screen?.kill();
	await server?.engine.stop();
});

describe('replay --to --step', () => {
	it('sends each recorded message when Enter is pressed, reports it at once, and stops on q (exit 1: not all was checked)', async () => {
		server = await startTestServer({udp: false});
		const peer = await Peer.connect(server.port);
		await peer.waitForText('Welcome!\n');
		for (const name of ['Michael', 'Tracy', 'Sarah']) {
			peer.write(`${name}\n`);
			await peer.waitForText(`Hello, ${name}!\n`);
		}

		peer.socket.end();
		await server.log.waitFor('conn.close');
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-step-')), 'run.ndjson');
		writeFileSync(file, server.log.events.map(event => jsonLine(event)).join(''));

		screen = new PtyScreen(['replay', file, '--to', `127.0.0.1:${server.port}`, '--step'], {columns: 120, rows: 20});
		await screen.waitFor(text => text.includes('#1 greeting same') && text.includes('#1 next: "Michael\\n" · Enter sends it'));
		expect(await screen.screen()).not.toContain('Hello, Michael');
		screen.type('\r');
		await screen.waitFor(text => text.includes('"Michael\\n" → same') && text.includes('#1 next: "Tracy\\n"'));
		screen.type('q\r');
		const final = await screen.waitFor(text => text.includes('replayed 1 connection'));
		expect(final).toContain('2 replies the same, 0 different (stopped before the end)');
		expect(final).not.toContain('"Tracy\\n" → same');
		expect(await screen.exited).toBe(1);

		// Ctrl+C at a prompt stops there too, the summary on a line of its own.
		screen = new PtyScreen(['replay', file, '--to', `127.0.0.1:${server.port}`, '--step'], {columns: 120, rows: 20});
		await screen.waitFor(text => text.includes('#1 next: "Michael\\n"'));
		screen.type('\u0003');
		const interrupted = await screen.waitFor(text => text.includes('replayed 1 connection'));
		expect(interrupted).toMatch(/\n\s*replayed 1 connection: 1 reply the same, 0 different \(stopped before the end\)/);
		expect(await screen.exited).toBe(1);
	}, 30_000);
});
