import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import type {SocketEvent} from '../../source/events.js';

const read = (id: number): SocketEvent => ({type: 'conn.read', ts: 1, id, bytes: id});

function collect(bus: EventBus): number[] {
	const seen: number[] = [];
	bus.subscribe(event => {
		if (event.type === 'conn.read') {
			seen.push(event.id);
		}
	});
	return seen;
}

describe('EventBus', () => {
	it('stamps what it publishes, type and ts first', () => {
		const bus = new EventBus();
		const event = bus.publish({type: 'conn.end', id: 7});
		expect(Object.keys(event)).toEqual(['type', 'ts', 'id']);
		expect(Math.abs(event.ts - Date.now())).toBeLessThan(1000);
	});

	it('holds delivery until the last release, then delivers in order', () => {
		const bus = new EventBus();
		const seen = collect(bus);
		bus.hold();
		bus.emit(read(1));
		bus.hold();
		bus.emit(read(2));
		bus.release();
		expect(seen).toEqual([]);
		bus.emit(read(3));
		bus.release();
		expect(seen).toEqual([1, 2, 3]);
		bus.emit(read(4));
		expect(seen).toEqual([1, 2, 3, 4]);
	});

	it('delivers what listeners publish during a release after what was already waiting', () => {
		const bus = new EventBus();
		const seen = collect(bus);
		bus.subscribe(event => {
			if (event.type === 'conn.read' && event.id === 1) {
				bus.emit(read(10));
			}
		});
		bus.hold();
		bus.emit(read(1));
		bus.emit(read(2));
		bus.release();
		expect(seen).toEqual([1, 2, 10]);
	});

	it('keeps the events after one whose listener threw, and delivers them first next time', () => {
		const bus = new EventBus();
		const seen = collect(bus);
		let broken = true;
		bus.subscribe(event => {
			if (broken && event.type === 'conn.read' && event.id === 1) {
				broken = false;
				throw new Error('a bug in a listener');
			}
		});
		bus.hold();
		bus.emit(read(1));
		bus.emit(read(2));
		bus.emit(read(3));
		expect(() => {
			bus.release();
		}).toThrow('a bug in a listener');
		expect(seen).toEqual([1]);
		bus.emit(read(4));
		expect(seen).toEqual([1, 2, 3, 4]);
	});

	it('never holds more than a bounded number of events: a huge read is delivered as it goes', () => {
		const bus = new EventBus();
		const seen = collect(bus);
		bus.hold();
		for (let id = 0; id < 5000; id++) {
			bus.emit(read(id));
		}

		expect(seen.length).toBeGreaterThan(3000);
		bus.release();
		expect(seen).toEqual(Array.from({length: 5000}, (_, id) => id));
	});
});
