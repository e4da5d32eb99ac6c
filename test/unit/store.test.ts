import {afterEach, describe, expect, it, vi} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {RingBuffer} from '../../source/state/ring-buffer.js';
import {Store} from '../../source/state/store.js';

const peer = (port: number) => ({address: '127.0.0.1', port, family: 'IPv4' as const});
const local = peer(9999);

afterEach(() => {
	vi.useRealTimers();
});

function open(bus: EventBus, id: number): void {
	bus.publish({type: 'conn.open', id, peer: peer(40_000 + id), local});
}

function close(bus: EventBus, id: number): void {
	bus.publish({type: 'conn.close', id, reason: 'eof', bytesIn: 0, bytesOut: 0, messagesIn: 0, durationMs: 1});
}

describe('Store', () => {
	it('tells its subscribers at most once per frame, however many events arrive', () => {
		vi.useFakeTimers();
		const bus = new EventBus();
		const store = new Store(bus, {frameMs: 33});
		const notify = vi.fn();
		store.subscribe(notify);
		for (let id = 1; id <= 10_000; id++) {
			open(bus, id);
			bus.publish({type: 'conn.message', id, text: `m${id}`});
		}

		expect(notify).not.toHaveBeenCalled();
		vi.advanceTimersByTime(33);
		expect(notify).toHaveBeenCalledTimes(1);
		expect(store.server.open).toBe(10_000);
		expect(store.order).toHaveLength(10_000);
		expect(store.rows.get(10_000)!.last?.text).toBe('m10000');
		store.dispose();
	});

	it('repaints less often while the event loop is busy, and at full rate again once it is not', () => {
		vi.useFakeTimers();
		const bus = new EventBus();
		let load = 0.95;
		const store = new Store(bus, {frameMs: 33, busyFrameMs: 80, loopLoad: () => load});
		const notify = vi.fn();
		store.subscribe(notify);
		open(bus, 1);
		store.flush(); // Measures the load: busy.
		notify.mockClear();
		bus.publish({type: 'conn.message', id: 1, text: 'a'});
		vi.advanceTimersByTime(33);
		expect(notify).not.toHaveBeenCalled();
		vi.advanceTimersByTime(47);
		expect(notify).toHaveBeenCalledTimes(1);
		load = 0.1;
		store.flush(); // Idle now.
		notify.mockClear();
		bus.publish({type: 'conn.message', id: 1, text: 'b'});
		vi.advanceTimersByTime(33);
		expect(notify).toHaveBeenCalledTimes(1);
		store.dispose();
	});

	it('spaces frames from the previous one, so the time a repaint takes does not slow the rate', () => {
		vi.useFakeTimers();
		const bus = new EventBus();
		const store = new Store(bus, {frameMs: 33, loopLoad: () => 0});
		const notify = vi.fn();
		store.subscribe(notify);
		open(bus, 1);
		vi.advanceTimersByTime(33);
		expect(notify).toHaveBeenCalledTimes(1);
		// 20 ms later (a repaint, say), a change: due 33 ms after the last frame, not after it.
		vi.advanceTimersByTime(20);
		bus.publish({type: 'conn.message', id: 1, text: 'a'});
		vi.advanceTimersByTime(13);
		expect(notify).toHaveBeenCalledTimes(2);
		// Long quiet: the next change is shown at once.
		vi.advanceTimersByTime(1000);
		bus.publish({type: 'conn.message', id: 1, text: 'b'});
		vi.advanceTimersByTime(0);
		expect(notify).toHaveBeenCalledTimes(3);
		store.dispose();
	});

	it('keeps closed rows dimmed for a while, then forgets them; counts stay right', () => {
		vi.useFakeTimers();
		const bus = new EventBus();
		const store = new Store(bus, {frameMs: 10, closedRetentionMs: 1000});
		open(bus, 1);
		open(bus, 2);
		close(bus, 1);
		store.flush();
		expect(store.order).toEqual([1, 2]);
		expect(store.rows.get(1)!.state).toBe('closed');
		expect(store.server).toMatchObject({open: 1, total: 2});
		vi.advanceTimersByTime(1500);
		store.flush();
		expect(store.order).toEqual([2]);
		store.dispose();
	});

	it('bounds closed rows and transcripts', () => {
		const bus = new EventBus();
		const store = new Store(bus, {maxClosedRows: 10, transcriptLines: 5});
		for (let id = 1; id <= 100; id++) {
			open(bus, id);
			close(bus, id);
		}

		open(bus, 101);
		for (let index = 0; index < 50; index++) {
			bus.publish({type: 'conn.message', id: 101, text: `line ${index}`});
		}

		store.flush();
		expect(store.order).toHaveLength(11);
		const transcript = store.rows.get(101)!.transcript;
		expect(transcript.length).toBe(5);
		expect(transcript.at(4)!.text).toBe('line 49');
		store.dispose();
	});
});

describe('RingBuffer', () => {
	it('forgets the oldest past its capacity, and counts everything', () => {
		const ring = new RingBuffer<number>(3);
		for (let index = 1; index <= 5; index++) {
			ring.push(index);
		}

		expect(ring.slice(0, 10)).toEqual([3, 4, 5]);
		expect(ring.at(0)).toBe(3);
		expect(ring.total).toBe(5);
	});
});
