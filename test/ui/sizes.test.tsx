import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {startFakeApp} from '../helpers/fake-app.js';
import {tick} from '../helpers/ui.js';
import type {Mode} from '../../source/ui/App.js';

const columnsGrid = [10, 15, 20, 25, 30, 40, 50, 56, 60, 80, 100];
const rowsGrid = [3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 40];
const leftBorders = new Set(['╭', '│', '╰', '╔', '║', '╚']);
const rightBorders = new Set(['╮', '│', '╯', '╗', '║', '╝']);

/** What is wrong with a frame at this size, or undefined when every rule holds. */
function problems(frame: string, columns: number, rows: number): string | undefined {
	const lines = frame.split('\n');
	if (lines.length > rows - 1 && !(rows <= 2 && lines.length === 1)) {
		return `${lines.length} lines in a ${rows}-row terminal`;
	}

	for (const [index, line] of lines.entries()) {
		const width = stringWidth(line);
		if (width > columns) {
			return `line ${index} is ${width} columns wide: ${line}`;
		}

		const first = line[0] ?? '';
		if (leftBorders.has(first)) {
			const last = [...line].at(-1) ?? '';
			if (width !== columns || !rightBorders.has(last)) {
				return `line ${index} does not end on a border at column ${columns}: ${line}`;
			}
		}
	}

	// Where panes stand side by side, each border is at the same column on every line.
	const borderColumns = lines.filter(line => leftBorders.has(line[0] ?? '')).map(line => [...line].map((character, column) => (leftBorders.has(character) || rightBorders.has(character) ? column : -1)).filter(column => column >= 0).join(','));
	const top = borderColumns.slice(0, 2);
	if (top.length === 2 && top[0] !== top[1]) {
		return `borders move between the first lines: ${top.join(' vs ')}`;
	}

	return undefined;
}

describe('small terminals degrade cleanly', () => {
	it.each(['all', 'serve', 'connect'] satisfies Mode[])('every size from 10×3 to 100×40 keeps borders at fixed columns (%s)', async mode => {
		const failures: string[] = [];
		for (const columns of columnsGrid) {
			for (const rows of rowsGrid) {
				const app = startFakeApp(mode, {columns, height: rows});
				await tick();
				const frame = app.lastFrame() ?? '';
				app.dispose();
				const problem = problems(frame, columns, rows);
				if (problem) {
					failures.push(`${columns}×${rows}: ${problem}`);
				}

				if (columns < 20 || rows < 7) {
					if (!/too small/.test(frame)) {
						failures.push(`${columns}×${rows}: no "too small" line:\n${frame}`);
					}
				}
			}
		}

		expect(failures.slice(0, 5)).toEqual([]);
	});

	it('shows the focused pane alone when the full layout does not fit, and Tab moves between panes', async () => {
		const app = startFakeApp('all', {columns: 40, height: 10});
		await tick();
		expect(app.lastFrame()).toContain('Client →');
		expect(app.lastFrame()).not.toContain('PEER');
		app.stdin.write('\t');
		await tick();
		await tick();
		expect(app.lastFrame()).toContain('PEER');
		app.dispose();
	});
});
