import {describe, expect, it} from 'vitest';
import type {TranscriptLine} from '../../source/state/store.js';
import {TranscriptRing} from '../../source/state/transcript-ring.js';

const line = (index: number): TranscriptLine => (index % 3 === 0
	? {ts: 1_795_000_000_000 + index, direction: 'in', text: `\uFFFD${index}`, base64: Buffer.from([0xFF, index]).toString('base64')}
	: {ts: 1_795_000_000_000 + index, direction: index % 3 === 1 ? 'out' : 'info', text: `line ${index}`});

describe('TranscriptRing', () => {
	it('gives back the lines pushed, base64 included, oldest first', () => {
		const ring = new TranscriptRing(10);
		const pushed = [1, 2, 3, 4].map(index => line(index));
		for (const each of pushed) {
			ring.push(each);
		}

		expect(ring.length).toBe(4);
		expect(ring.slice(0, 10)).toEqual(pushed);
		expect(ring.at(2)).toEqual(pushed[2]);
		expect(ring.at(4)).toBeUndefined();
		expect(ring.at(-1)).toBeUndefined();
	});

	it('forgets the oldest past its capacity, counts everything, and slices across the wrap', () => {
		const ring = new TranscriptRing(5);
		for (let index = 1; index <= 12; index++) {
			ring.push(line(index));
		}

		expect(ring.length).toBe(5);
		expect(ring.total).toBe(12);
		expect(ring.slice(0, 5)).toEqual([8, 9, 10, 11, 12].map(index => line(index)));
		expect(ring.slice(3, 10)).toEqual([line(11), line(12)]);
		// Line 11 sits in the slot that held line 6, which had base64: it must not inherit it.
		expect(ring.at(3)).toEqual(line(11));
		expect(ring.at(3)).not.toHaveProperty('base64');
		expect(ring.at(4)).toHaveProperty('base64', line(12).base64);
	});
});

describe('TimeOrderedRing', () => {
	it('keeps its items in time order when one arrives after later ones, across the ring\'s wrap-around', async () => {
		const {TimeOrderedRing} = await import('../../source/state/ring-buffer.js');
		const ring = new TimeOrderedRing<{ts: number; name: string}>(4);
		for (const [ts, name] of [[1, 'a'], [2, 'b'], [5, 'notice'], [3, 'late reply'], [4, 'later reply'], [6, 'f']] as const) {
			ring.push({ts, name});
		}

		expect(ring.slice(0, 4).map(item => item.name)).toEqual(['late reply', 'later reply', 'notice', 'f']);
		expect(ring.total).toBe(6);
		ring.push({ts: 6, name: 'same time'});
		expect(ring.slice(0, 4).map(item => item.name)).toEqual(['later reply', 'notice', 'f', 'same time']);
	});
});
