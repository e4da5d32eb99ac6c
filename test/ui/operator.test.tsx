import {describe, expect, it} from 'vitest';
import {Peer} from '../helpers/peer.js';
import {effectsSettled, frameWith, startApp} from '../helpers/ui.js';

describe('the operator in the server pane', () => {
	it('types to the open connection, and broadcasts to every open one', async () => {
		const {lastFrame, stdin, engine} = await startApp('serve', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('● TCP'));
		const port = engine.server!.address!.port;
		const alice = await Peer.connect(port);
		const bob = await Peer.connect(port);
		await frameWith(lastFrame, frame => frame.includes('2/2 open') || frame.includes('2 open / 2'));
		await effectsSettled();
		stdin.write('\r'); // Open the first connection (alice).
		await frameWith(lastFrame, frame => frame.includes('› to 127.0.0.1:'));
		await effectsSettled();
		stdin.write('just for you\r');
		await alice.waitForText('just for you\n');
		await frameWith(lastFrame, frame => frame.includes('→ just for you'));
		stdin.write('\u001B');
		await frameWith(lastFrame, frame => frame.includes('PEER'));
		await effectsSettled();
		stdin.write('b');
		await frameWith(lastFrame, frame => frame.includes('› to all 2 open:'));
		await effectsSettled();
		stdin.write('hello everyone\r');
		await alice.waitForText('hello everyone\n');
		await bob.waitForText('hello everyone\n');
		await frameWith(lastFrame, frame => frame.includes('sent to 2 connections'));
		alice.socket.destroy();
		bob.socket.destroy();
	});
});

describe('a mistyped command in a connection\'s input box', () => {
	it('is told, never sent to the peer; //text sends a line that starts with /', async () => {
		const {lastFrame, stdin, engine} = await startApp('serve', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('● TCP'));
		const alice = await Peer.connect(engine.server!.address!.port);
		await frameWith(lastFrame, frame => frame.includes('1/1 open') || frame.includes('1 open / 1'));
		await effectsSettled();
		stdin.write('\r');
		await frameWith(lastFrame, frame => frame.includes('› to 127.0.0.1:'));
		await effectsSettled();
		stdin.write('/explain bogus\r/frobnicate\r//slash\r');
		await alice.waitForText('/slash\n');
		await frameWith(lastFrame, frame => frame.includes('unknown command /frobnicate') || frame.includes('usage: /explain'));
		expect(alice.text).not.toContain('bogus');
		expect(alice.text).not.toContain('frobnicate');
		alice.socket.destroy();
	});
});
