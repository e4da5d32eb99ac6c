import {afterEach, describe, expect, it, vi} from 'vitest';
import {FrameScheduler} from '../../source/state/frame-scheduler.js';

afterEach(() => {
	vi.useRealTimers();
});

describe('FrameScheduler', () => {
	it('tells subscribers once per frame however many changes come, spaced from the last frame', () => {
		vi.useFakeTimers();
		let load = 0;
		const frames: number[] = [];
		const beforeFrame = vi.fn();
		const scheduler = new FrameScheduler({frameMs: 33, busyFrameMs: 80, loopLoad: () => load}, beforeFrame);
		scheduler.subscribe(() => frames.push(Date.now()));
		const start = Date.now();
		for (let change = 0; change < 400; change++) {
			scheduler.changed();
		}

		vi.advanceTimersByTime(33);
		expect(frames).toEqual([start + 33]);
		expect(beforeFrame).toHaveBeenCalledTimes(1);
		expect(scheduler.getVersion()).toBe(1);
		// A busy loop: the next frame waits the busy spacing.
		load = 0.9;
		scheduler.changed();
		vi.advanceTimersByTime(33);
		expect(frames).toHaveLength(2);
		scheduler.changed();
		vi.advanceTimersByTime(79);
		expect(frames).toHaveLength(2);
		vi.advanceTimersByTime(1);
		expect(frames).toHaveLength(3);
		// A quiet loop again, but heavy traffic (over 500 changes in a frame): the busy spacing too.
		load = 0;
		scheduler.changed();
		vi.advanceTimersByTime(80);
		expect(frames).toHaveLength(4);
		for (let change = 0; change < 600; change++) {
			scheduler.changed();
		}

		vi.advanceTimersByTime(33);
		expect(frames).toHaveLength(5);
		scheduler.changed();
		vi.advanceTimersByTime(79);
		expect(frames).toHaveLength(5);
		vi.advanceTimersByTime(1);
		expect(frames).toHaveLength(6);
		scheduler.dispose();
		scheduler.changed();
		vi.advanceTimersByTime(1000);
		expect(frames).toHaveLength(6);
	});
});
