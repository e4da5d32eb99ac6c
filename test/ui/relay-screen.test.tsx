import {connect, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {readToEnd, startPeerServer, type PeerServer} from '../helpers/tcp-peer-server.js';
import {effectsSettled, frameWith, startApp} from '../helpers/ui.js';

let upstream: PeerServer | undefined;
afterEach(async () => {
	await upstream?.close();
	upstream = undefined;
});

/** A relay on the screen to a fresh upstream, one client through it, and the upstream's side of it. */
async function relayOnScreen() {
	upstream = await startPeerServer();
	const app = await startApp('relay', {rows: 30, columns: 110, parts: {serve: false, relay: {host: '127.0.0.1', port: upstream.port, transport: 'tcp'}}});
	const port = app.engine.relay!.address!.port;
	const client = connect({port, host: '127.0.0.1'});
	client.on('error', () => undefined);
	const upstreamSide = await upstream.nextSocket();
	await app.log.waitFor('relay.open');
	return {...app, client, upstreamSide};
}

/** Everything `socket` receives, as text so far. */
function collect(socket: Socket): () => string {
	let text = '';
	socket.on('data', (chunk: Buffer) => {
		text += chunk.toString('latin1');
	});
	return () => text;
}

async function until(test: () => boolean): Promise<void> {
	for (let attempt = 0; attempt < 300 && !test(); attempt++) {
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	expect(test()).toBe(true);
}

describe('relay on the screen', () => {
	it('shows a row per relayed connection and both directions in its transcript, lines joined across reads', async () => {
		const {lastFrame, stdin, client, upstreamSide} = await relayOnScreen();
		await frameWith(lastFrame, frame => frame.includes('● relay 127.0.0.1:') && frame.includes('CLIENT') && frame.includes('↑MSG'));
		client.write('GET / HT');
		client.write('TP/1.0\r\n\r\n');
		await frameWith(lastFrame, frame => frame.includes('↑ "GET / HTTP/1.0"') || frame.includes('↑ ""'));
		upstreamSide.write('HTTP/1.0 200 OK\r\n');
		await frameWith(lastFrame, frame => frame.includes('↓ "HTTP/1.0 200 OK"'));
		await effectsSettled();
		stdin.write('\r');
		const frame = await frameWith(lastFrame, frame => frame.includes('Esc back') && frame.includes('↓ HTTP/1.0 200 OK'));
		expect(frame).toContain('↑ GET / HTTP/1.0');
		expect(frame).toContain('↑ client→upstream passing');
	});

	it('pauses a direction, edits the held message and releases it, drops another, and injects both ways — by keys', async () => {
		const {lastFrame, stdin, client, upstreamSide, log} = await relayOnScreen();
		const upstreamGot = collect(upstreamSide);
		const clientGot = collect(client);
		await frameWith(lastFrame, frame => frame.includes('CLIENT'));
		await effectsSettled();
		stdin.write('\r');
		await frameWith(lastFrame, frame => frame.includes('Esc back'));
		await effectsSettled();
		stdin.write('u');
		await log.waitFor('relay.pause');
		await frameWith(lastFrame, frame => frame.includes('↑ client→upstream PAUSED'));
		client.write('hello\nsecret\n');
		await frameWith(lastFrame, frame => frame.includes('held #1 ↑ hello') && frame.includes('held #2 ↑ secret') && frame.includes('PAUSED 2 held'));
		await effectsSettled();
		stdin.write('e');
		await frameWith(lastFrame, frame => frame.includes('› edit #1: hello'));
		await effectsSettled();
		stdin.write('\u007F\u007F\u007F\u007F\u007FHELLO!\r');
		await until(() => upstreamGot() === 'HELLO!\n');
		await frameWith(lastFrame, frame => frame.includes('↑ HELLO!  [#1 edited]'));
		await effectsSettled();
		stdin.write('\u001B[3~'); // Delete: drops #2.
		await frameWith(lastFrame, frame => frame.includes('dropped #2'));
		await effectsSettled();
		// In one write: inject a line toward the client, then one toward the upstream (Enter
		// closes the input box, so the > after it is a key again).
		stdin.write('<to the client\r>to the upstream\r');
		await until(() => clientGot() === 'to the client\n');
		await until(() => upstreamGot() === 'HELLO!\nto the upstream\n');
		await frameWith(lastFrame, frame => frame.includes('↓ to the client  [injected]') && frame.includes('↑ to the upstream  [injected]'));
		expect(log.of('relay.drop')).toHaveLength(1);
		expect(upstreamGot()).not.toContain('secret');
	});

	it('drops as many held messages as Delete is pressed in one burst, then releases the rest', async () => {
		const {lastFrame, stdin, client, upstreamSide, log} = await relayOnScreen();
		const upstreamGot = collect(upstreamSide);
		await frameWith(lastFrame, frame => frame.includes('CLIENT'));
		await effectsSettled();
		stdin.write('\ru');
		await log.waitFor('relay.pause');
		client.write('one\ntwo\nthree\n');
		await frameWith(lastFrame, frame => frame.includes('PAUSED 3 held'));
		await effectsSettled();
		stdin.write('\u001B[3~\u001B[3~R');
		await until(() => upstreamGot() === 'three\n');
		expect(log.of('relay.drop').map(event => event.seq)).toEqual([1, 2]);
	});

	it('releases every held message with R, in order, and its end after them', async () => {
		const {lastFrame, stdin, client, upstreamSide} = await relayOnScreen();
		const upstreamEnd = readToEnd(upstreamSide);
		await frameWith(lastFrame, frame => frame.includes('CLIENT'));
		await effectsSettled();
		stdin.write('\ru'); // Open, then pause ↑, in one write.
		await frameWith(lastFrame, frame => frame.includes('↑ client→upstream PAUSED'));
		client.end('a\nb\nc');
		await frameWith(lastFrame, frame => frame.includes('PAUSED 3 held'));
		await effectsSettled();
		stdin.write('R');
		expect((await upstreamEnd).toString()).toBe('a\nb\nc');
	});

	it('says so when e, r or R is pressed with nothing held, and how to hold something', async () => {
		const {lastFrame, stdin} = await relayOnScreen();
		await frameWith(lastFrame, frame => frame.includes('CLIENT'));
		await effectsSettled();
		stdin.write('\r');
		await frameWith(lastFrame, frame => frame.includes('Esc back'));
		await effectsSettled();
		// Each key's words differ from the one before, so each frame shows that key's.
		for (const [key, does] of [['e', 'edit'], ['r', 'release'], ['e', 'edit'], ['R', 'release']] as const) {
			stdin.write(key);
			await frameWith(lastFrame, frame => frame.includes(`nothing is held to ${does}: u or d pauses a direction`));
			await effectsSettled();
		}

		// Pausing acts: what was said no longer applies and goes.
		stdin.write('u');
		await frameWith(lastFrame, frame => frame.includes('↑ client→upstream PAUSED') && !frame.includes('nothing is held'));
		await effectsSettled();
		// So does leaving the transcript with Esc.
		stdin.write('e');
		await frameWith(lastFrame, frame => frame.includes('nothing is held to edit'));
		await effectsSettled();
		stdin.write('\u001B');
		await frameWith(lastFrame, frame => !frame.includes('Esc back') && !frame.includes('nothing is held'));
	});

	it('toggles a direction once per key when the same key comes several times in one burst', async () => {
		const {lastFrame, stdin, log} = await relayOnScreen();
		await frameWith(lastFrame, frame => frame.includes('CLIENT'));
		await effectsSettled();
		stdin.write('\r');
		await frameWith(lastFrame, frame => frame.includes('Esc back'));
		await effectsSettled();
		stdin.write('uu');
		await until(() => log.of('relay.pause').length === 2);
		expect(log.of('relay.pause').map(event => event.paused)).toEqual([true, false]);
		await effectsSettled();
		stdin.write('ddd');
		await until(() => log.of('relay.pause').length === 5);
		expect(log.of('relay.pause').map(event => event.paused)).toEqual([true, false, true, false, true]);
		await frameWith(lastFrame, frame => frame.includes('↑ client→upstream passing') && frame.includes('PAUSED'));
	});
});
