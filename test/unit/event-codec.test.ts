import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {SocketEvent} from '../../source/events.js';
import {pack, unpack, type Packed} from '../../source/worker/event-codec.js';

const peer = fc.record({address: fc.constantFrom('127.0.0.1', '::1', '::ffff:127.0.0.2'), port: fc.nat({max: 65_535}), family: fc.constantFrom('IPv4' as const, 'IPv6' as const)});
const base = {ts: fc.nat(), id: fc.nat()};
const event: fc.Arbitrary<SocketEvent> = fc.oneof(
	fc.record({type: fc.constantFrom('conn.read' as const, 'conn.write' as const), ...base, bytes: fc.nat()}),
	fc.record({type: fc.constant('conn.message' as const), ...base, text: fc.string()}),
	fc.record({type: fc.constant('conn.message' as const), ...base, text: fc.string(), base64: fc.base64String(), eol: fc.constantFrom('', '\r\n'), skipped: fc.constantFrom('\n', '\r\n\n')}, {requiredKeys: ['type', 'ts', 'id', 'text']}),
	fc.record({type: fc.constant('conn.reply' as const), ...base, kind: fc.constantFrom('welcome' as const, 'reply' as const, 'operator' as const), text: fc.string()}),
	fc.record({type: fc.constant('conn.reply' as const), ...base, kind: fc.constant('reply' as const), text: fc.string(), base64: fc.base64String()}),
	fc.record({type: fc.constantFrom('udp.datagram' as const, 'udp.reply' as const), ts: fc.nat(), peer, bytes: fc.nat(), text: fc.string()}),
	fc.record({type: fc.constant('udp.datagram' as const), ts: fc.nat(), peer, bytes: fc.nat(), text: fc.string(), base64: fc.base64String(), denied: fc.constant(true)}, {requiredKeys: ['type', 'ts', 'peer', 'bytes', 'text']}),
	fc.record({type: fc.constant('conn.end' as const), ...base}),
	fc.record({type: fc.constant('relay.data' as const), ...base, from: fc.constantFrom('client' as const, 'upstream' as const), bytes: fc.nat(), captured: fc.nat(), text: fc.string()}),
	fc.record({type: fc.constant('relay.data' as const), ...base, from: fc.constantFrom('client' as const, 'upstream' as const), bytes: fc.nat(), captured: fc.nat(), text: fc.string(), base64: fc.base64String(), released: fc.nat(), injected: fc.constant(true as const), elided: fc.nat()}, {requiredKeys: ['type', 'ts', 'id', 'from', 'bytes', 'captured', 'text']}),
);

describe('the engine thread\'s event codec', () => {
	it('gives back every event as it was, in order', () => {
		fc.assert(fc.property(fc.array(event, {maxLength: 50}), events => {
			const batch: Packed = [];
			for (const item of events) {
				pack(batch, item);
			}

			const back: SocketEvent[] = [];
			unpack(structuredClone(batch), item => back.push(item));
			expect(back).toEqual(events);
		}), {numRuns: 300});
	});
});
