const bars = '▁▂▃▄▅▆▇█';

/**
 * Counts as a one-line bar chart, scaled to the largest (`▁▁▃▇█▅`): a rate's recent history at
 * a glance. All zero: a flat line of the lowest bar.
 */
export function sparkline(values: readonly number[]): string {
	const most = Math.max(0, ...values);
	return values.map(value => (most === 0 ? bars[0]! : bars[Math.min(bars.length - 1, Math.round((value / most) * (bars.length - 1)))]!)).join('');
}
