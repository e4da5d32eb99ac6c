import {describe, expect, it} from 'vitest';
import {relayDataStep} from '../../source/state/steps.js';
import {lane, laneWidth, shortBytes} from '../../source/ui/swimlane.js';
import {stepRow} from '../../source/ui/timeline-steps.js';

const endpoint = {address: '127.0.0.1', port: 1, family: 'IPv4' as const};

describe('swimlane arrows', () => {
	it('draws bytes or a TCP flag toward one side, a step of one end on its side, always laneWidth columns', () => {
		expect(lane({to: 'server', bytes: 7}, 'server')).toBe('│────7 B───▶│');
		expect(lane({to: 'client', label: 'FIN'}, 'server')).toBe('│◀────FIN───│');
		expect(lane({to: 'client', bytes: 123_456}, 'client')).toBe('│◀───123kB──│');
		expect(lane({to: 'us'}, 'server')).toBe('│          •│');
		expect(lane({to: 'us'}, 'client')).toBe('│•          │');
		expect(lane({to: 'us'}, 'relay')).toBe('│     •     │');
		expect(lane({to: 'none'}, 'relay')).toBe('│           │');
		for (const bytes of [0, 9, 999, 1000, 99_999, 1e6, 5e9, 1e13]) {
			expect(lane({to: 'server', bytes}, 'server')).toHaveLength(laneWidth);
		}

		expect(shortBytes(1536)).toBe('1.5kB');
	});
});

describe('timeline steps', () => {
	it('tell a relay\'s reads with the start of their text, steering, and its close', () => {
		const data = relayDataStep({type: 'relay.data', ts: 1, id: 1, from: 'client', bytes: 8, captured: 8, text: 'Michael\n'});
		expect(stepRow(data, false)).toEqual({arrow: {to: 'server', bytes: 8}, text: 'client → upstream: "Michael\\n"'});
		const long = relayDataStep({type: 'relay.data', ts: 1, id: 1, from: 'upstream', bytes: 100, captured: 100, text: 'x'.repeat(100), injected: true});
		expect(stepRow(long, false)?.text).toBe(`upstream → client: "${'x'.repeat(40)}"… (injected)`);
		const binary = relayDataStep({type: 'relay.data', ts: 1, id: 1, from: 'client', bytes: 2, captured: 2, text: '\uFFFD', base64: 'AP8='});
		expect(stepRow(binary, false)?.text).toBe('client → upstream: 2 B');
		expect(stepRow({type: 'relay.close', ts: 1, id: 1, reason: 'closed', bytesUp: 1, bytesDown: 2, durationMs: 3}, false)?.text).toBe('closed (both sides finished): 1 B up, 2 B down');
	});

	it('tell who closed first: the client\'s FIN before our close, whatever the close\'s reason', () => {
		const close = {type: 'conn.close', ts: 1, id: 1, reason: 'exit', bytesIn: 1, bytesOut: 2, messagesIn: 1, durationMs: 1} as const;
		expect(stepRow(close, false, {peerEnded: false})?.text).toBe('close: we closed first (exit) · 1 B in, 2 out');
		expect(stepRow(close, false, {peerEnded: true})?.text).toBe('close (exit): client closed first · 1 B in, 2 out');
		expect(stepRow(close, true, {peerEnded: true})?.text).toMatch(/^conn\.close\(\) +# exit: after the peer's FIN: the peer closed first/);
	});

	it('tell how framing cut a message: a line, a tail delivered once quiet or as the FIN came, a piece of a long line', () => {
		const tail = {type: 'conn.message', ts: 1, id: 1, text: 'exit', eol: ''} as const;
		expect(stepRow(tail, false)?.text).toBe('framing: a tail (no line end) once quiet: "exit"');
		expect(stepRow(tail, false, {atFin: true})?.text).toBe('framing: a tail (no line end) at the FIN: "exit"');
		expect(stepRow(tail, true, {atFin: true})?.text).toBe('framing: a tail (no line end) at the FIN: b\'exit\'');
		expect(stepRow({type: 'conn.message', ts: 1, id: 1, text: 'GET / HTTP/1.0', eol: '\r\n'}, false)?.text).toBe('framing: a line (ending "\\r\\n"): "GET / HTTP/1.0"');
		expect(stepRow({type: 'conn.message', ts: 1, id: 1, text: 'a', partial: true, eol: ''}, false)?.text).toBe('framing: a piece of a line longer than --max-line: "a"');
	});

	it('tell our client\'s life: connect, the handshake, sends, receives with their round trip, the FINs', () => {
		const remote = {host: '127.0.0.1', port: 9999};
		expect(stepRow({type: 'client.state', ts: 1, id: 1, state: 'connecting', remote}, false)).toEqual({arrow: {to: 'server', label: 'SYN'}, text: 'connect to 127.0.0.1:9999'});
		expect(stepRow({type: 'client.state', ts: 1, id: 1, state: 'connected', remote, connectMs: 0.4}, false)).toEqual({arrow: {to: 'client', label: 'SYN+ACK'}, text: 'connected: the handshake took 0.4 ms'});
		expect(stepRow({type: 'client.received', ts: 1, id: 1, bytes: 6, text: 'Hello!', rttMs: 0.3}, false)?.text).toBe('recv: "Hello!" (0.3 ms after the send)');
		expect(stepRow({type: 'client.end', ts: 1, id: 1, by: 'us'}, false)).toEqual({arrow: {to: 'server', label: 'FIN'}, text: 'we half-closed: shutdown(SHUT_WR)'});
		// A write is told by its reply's row.
		expect(stepRow({type: 'conn.write', ts: 1, id: 1, bytes: 3}, false)).toBeUndefined();
		expect(stepRow({type: 'conn.open', ts: 1, id: 1, peer: endpoint, local: {...endpoint, port: 2}}, false)?.text).toBe('accept: 127.0.0.1:1 → 127.0.0.1:2');
	});
});

describe('StepRing', () => {
	it('gives back every kind of step as it was pushed, the common ones kept in columns, the rare ones whole, the oldest let go past its capacity', async () => {
		const {StepRing, stepsKept} = await import('../../source/state/steps.js');
		const samples = [
			{type: 'conn.open', ts: 1, id: 1, peer: endpoint, local: endpoint},
			{type: 'conn.read', ts: 2, id: 1, bytes: 7},
			{type: 'conn.message', ts: 3, id: 1, text: 'Michael'},
			{type: 'conn.message', ts: 3, id: 1, text: 'x', eol: '\r\n', skipped: '\n'},
			{type: 'conn.message', ts: 3, id: 1, text: '\uFFFD', base64: '/w==', eol: ''},
			{type: 'conn.reply', ts: 4, id: 1, kind: 'welcome', text: 'Welcome!\n'},
			{type: 'conn.reply', ts: 4, id: 1, kind: 'reply', text: '\uFFFD', base64: '/w=='},
			{type: 'client.sent', ts: 5, id: 2, bytes: 5, text: 'ping\n'},
			{type: 'client.received', ts: 6, id: 2, bytes: 5, text: 'pong', rttMs: 0.2},
			{type: 'client.received', ts: 6, id: 2, bytes: 6, text: 'pong', eol: '\r\n'},
			relayDataStep({type: 'relay.data', ts: 7, id: 3, from: 'upstream', bytes: 8, captured: 8, text: 'Welcome!'}),
			relayDataStep({type: 'relay.data', ts: 7, id: 3, from: 'client', bytes: 2, captured: 2, text: '\uFFFD', base64: 'AP8='}),
			relayDataStep({type: 'relay.data', ts: 7, id: 3, from: 'client', bytes: 3, captured: 3, text: 'hi\n', released: 2}),
			{type: 'conn.close', ts: 8, id: 1, reason: 'eof', bytesIn: 1, bytesOut: 2, messagesIn: 1, durationMs: 7},
		] as const;
		const ring = new StepRing();
		for (const sample of samples) {
			ring.push(sample);
		}

		expect(ring.slice(0, ring.length)).toEqual(samples);
		for (let index = 0; index < stepsKept; index++) {
			ring.push({type: 'conn.read', ts: 100 + index, id: 1, bytes: index});
		}

		expect([ring.length, ring.total, ring.at(0)]).toEqual([stepsKept, stepsKept + samples.length, {type: 'conn.read', ts: 100, id: 1, bytes: 0}]);
	});
});
