import fc from 'fast-check';
import {terminalSafeJson} from '../../source/protocol/terminal-safe.js';
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import type {SocketEvent} from '../../source/events.js';
import {toPayload} from '../../source/protocol/payload.js';
import {jsonLine} from '../../source/sinks/json-line.js';

const id = fc.nat();
const bytes = fc.uint8Array({maxLength: 64}).map(array => Buffer.from(array));
const replyKind = fc.constantFrom('welcome', 'reply', 'notice', 'operator', 'chat' as const);

/** Publishes the four per-message events as the server does, with arbitrary ids and bytes. */
function publishedEvents(bus: EventBus, connection: number, message: Buffer, reply: Buffer, kind: 'welcome' | 'reply' | 'notice' | 'operator' | 'chat', partial: boolean): SocketEvent[] {
	const seen: SocketEvent[] = [];
	const unsubscribe = bus.subscribe(event => seen.push(event));
	bus.publish({type: 'conn.read', id: connection, bytes: message.length});
	const payload = toPayload(message);
	bus.publish(partial ? {type: 'conn.message', id: connection, partial, ...payload} : {type: 'conn.message', id: connection, ...payload});
	bus.publish({type: 'conn.reply', id: connection, kind, ...toPayload(reply)});
	bus.publish({type: 'conn.write', id: connection, bytes: reply.length});
	unsubscribe();
	return seen;
}

describe('jsonLine', () => {
	it('writes exactly what JSON.stringify writes (C1 and bidi characters as \\u escapes, the same JSON value), for any bytes, text or binary', () => {
		const bus = new EventBus();
		fc.assert(fc.property(id, bytes, bytes, replyKind, fc.boolean(), (connection, message, reply, kind, partial) => {
			for (const event of publishedEvents(bus, connection, message, reply, kind, partial)) {
				expect(jsonLine(event)).toBe(terminalSafeJson(JSON.stringify(event)) + '\n');
				expect(JSON.parse(jsonLine(event))).toEqual(JSON.parse(JSON.stringify(event)));
			}
		}), {numRuns: 2000});
	});

	it('escapes what JSON must: quotes, backslashes, control characters, lone surrogates', () => {
		const bus = new EventBus();
		fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 40}), text => {
			const event = bus.publish({type: 'conn.message', id: 1, text});
			const line = jsonLine(event);
			expect(line).toBe(terminalSafeJson(JSON.stringify(event)) + '\n');
			expect(line).not.toMatch(/[\u007F-\u009F\u202A-\u202E]/);
			expect(JSON.parse(line)).toEqual(event);
		}), {numRuns: 2000});
	});

	it('writes a datagram and its reply as JSON.stringify does (made terminal-safe), for any peer and bytes', () => {
		const bus = new EventBus();
		const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({maxLength: 10}));
		fc.assert(fc.property(address, fc.nat(65_535), fc.constantFrom('IPv4', 'IPv6' as const), bytes, fc.boolean(), (host, port, family, payload, denied) => {
			const peer = {address: host, port, family};
			const events = [
				bus.publish(denied ? {type: 'udp.datagram', peer, bytes: payload.length, denied, ...toPayload(payload)} : {type: 'udp.datagram', peer, bytes: payload.length, ...toPayload(payload)}),
				bus.publish({type: 'udp.reply', peer, bytes: payload.length, ...toPayload(payload)}),
			];
			for (const event of events) {
				expect(jsonLine(event)).toBe(terminalSafeJson(JSON.stringify(event)) + '\n');
				expect(JSON.parse(jsonLine(event))).toEqual(JSON.parse(JSON.stringify(event)));
			}
		}), {numRuns: 1000});
	});

	it('falls back to JSON.stringify for every other event', () => {
		const bus = new EventBus();
		const event = bus.publish({type: 'conn.open', id: 3, peer: {address: '::1', port: 5, family: 'IPv6'}, local: {address: '::1', port: 9, family: 'IPv6'}});
		expect(jsonLine(event)).toBe(terminalSafeJson(JSON.stringify(event)) + '\n');
				expect(JSON.parse(jsonLine(event))).toEqual(JSON.parse(JSON.stringify(event)));
	});
});
