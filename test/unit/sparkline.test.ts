import {describe, expect, it} from 'vitest';
import {RateMeter} from '../../source/state/rate.js';
import {sparkline} from '../../source/ui/sparkline.js';

describe('a rate\'s history as a sparkline', () => {
	it('keeps the counts of the last seconds, quiet ones as 0, and draws them scaled to the largest', () => {
		const meter = new RateMeter();
		const base = 1_000_000;
		for (let index = 0; index < 4; index++) {
			meter.tick(base + 100);
		}

		meter.tick(base + 1100);
		meter.tick(base + 1200);
		// Second base/1000+2 quiet; then 8 in the next.
		for (let index = 0; index < 8; index++) {
			meter.tick(base + 3500);
		}

		expect(meter.perSecond(base + 3600)).toBe(0);
		expect(meter.recent(base + 4000, 5)).toEqual([0, 4, 2, 0, 8]);
		expect(meter.perSecond(base + 4000)).toBe(8);
		expect(sparkline([0, 4, 2, 0, 8])).toBe('▁▅▃▁█');
		expect(sparkline([0, 0])).toBe('▁▁');
	});
});
