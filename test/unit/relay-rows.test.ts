import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {Store} from '../../source/state/store.js';

const endpoint = (port: number) => ({address: '127.0.0.1', port, family: 'IPv4' as const});

function relayStore() {
	const bus = new EventBus();
	const store = new Store(bus, {frameMs: 1});
	bus.publish({type: 'relay.listening', host: '127.0.0.1', port: 8080, family: 'IPv4', loopback: true, upstream: {host: '127.0.0.1', port: 80}});
	bus.publish({type: 'relay.open', id: 1, client: endpoint(5000), local: endpoint(8080), upstream: {host: '127.0.0.1', port: 80}, upstreamPeer: endpoint(80), connectMs: 1});
	const lines = (): string[] => {
		const transcript = store.rows.get(1)!.transcript;
		return transcript.slice(0, transcript.length).filter(line => line.direction !== 'info').map(line => `${line.direction === 'in' ? '↑' : '↓'} ${line.text}${line.mark === undefined ? '' : ` [${line.mark}]`}`);
	};

	return {bus, store, lines};
}

describe('relay rows', () => {
	it('keep both directions in the order they happened when a line without a newline is answered by a rewritten one', () => {
		const {bus, store, lines} = relayStore();
		// The tutorial's client sends no newline; the reply is rewritten.
		bus.publish({type: 'relay.data', id: 1, from: 'client', bytes: 7, captured: 7, text: 'Michael'});
		bus.publish({type: 'relay.data', id: 1, from: 'upstream', bytes: 15, captured: 15, text: 'Howdy, Michael!', rewritten: {rule: 'down:Hello=>Howdy', text: 'Hello, Michael!'}});
		bus.publish({type: 'relay.data', id: 1, from: 'client', bytes: 5, captured: 5, text: 'Tracy'});
		bus.publish({type: 'relay.data', id: 1, from: 'upstream', bytes: 13, captured: 13, text: 'Howdy, Tracy!', rewritten: {rule: 'down:Hello=>Howdy', text: 'Hello, Tracy!'}});
		expect(lines()).toEqual(['↑ Michael', '↓ Howdy, Michael! [rewritten]', '↑ Tracy', '↓ Howdy, Tracy! [rewritten]']);
		store.dispose();
	});

	it('join a line split across reads, and show an unfinished one once quiet', () => {
		const {bus, store, lines} = relayStore();
		bus.publish({type: 'relay.data', id: 1, from: 'client', bytes: 8, captured: 8, text: 'GET / HT'});
		bus.publish({type: 'relay.data', id: 1, from: 'client', bytes: 10, captured: 10, text: 'TP/1.0\r\n\r\n'});
		bus.publish({type: 'relay.data', id: 1, from: 'upstream', bytes: 2, captured: 2, text: '> '});
		expect(lines()).toEqual(['↑ GET / HTTP/1.0', '↑ ']);
		store.server.flushTails(Date.now() + 1000);
		expect(lines()).toEqual(['↑ GET / HTTP/1.0', '↑ ', '↓ > ']);
		store.dispose();
	});
});

describe('relay rows with a binary framing', () => {
	it('show each frame as the relay cuts it, whatever the reads (len:u8), its prefix kept as the line lead', () => {
		const bus = new EventBus();
		const store = new Store(bus, {frameMs: 1});
		bus.publish({type: 'relay.listening', host: '127.0.0.1', port: 8080, family: 'IPv4', loopback: true, upstream: {host: '127.0.0.1', port: 80}, framing: 'len:u8'});
		bus.publish({type: 'relay.open', id: 1, client: endpoint(5000), local: endpoint(8080), upstream: {host: '127.0.0.1', port: 80}, upstreamPeer: endpoint(80), connectMs: 1});
		bus.publish({type: 'relay.data', id: 1, from: 'client', bytes: 4, captured: 4, text: '\u0005hel'});
		bus.publish({type: 'relay.data', id: 1, from: 'client', bytes: 5, captured: 5, text: 'lo\u0002ok'});
		const transcript = store.rows.get(1)!.transcript;
		const lines = transcript.slice(0, transcript.length).filter(line => line.direction === 'in');
		expect(lines.map(line => [line.text, line.lead])).toEqual([['hello', '\u0005'], ['ok', '\u0002']]);
		store.dispose();
	});
});
