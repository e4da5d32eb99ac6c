import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {describe, expect, it} from 'vitest';

// Ink 6 keeps every distinct string it ever measured or wrapped (vadimdemedes/ink#986, fixed only
// in Ink 7, which needs Node 22). A monitor whose rows change every frame would grow without end;
// patches/ink+6.8.0.patch bounds both caches. These tests fail on an unpatched Ink.
const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
type MeasureText = (text: string) => {width: number; height: number};
type WrapText = (text: string, maxWidth: number, wrapType: string) => string;

async function inkModule<T>(file: string): Promise<T> {
	const module = await import(pathToFileURL(join(inkBuild, file)).href) as {default: T};
	return module.default;
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap growth, in MB, kept after `work` and a full collection. */
function retainedMegabytes(work: () => void): number {
	collectGarbage();
	const before = process.memoryUsage().heapUsed;
	work();
	collectGarbage();
	return (process.memoryUsage().heapUsed - before) / 1024 / 1024;
}

/** 50,000 distinct row-like strings, as a busy server pane draws them over a few minutes. */
function eachDistinctRow(visit: (row: string) => void): void {
	for (let index = 0; index < 50_000; index++) {
		visit(`  127.0.0.1:${index}`.padEnd(100, ' ') + String(index));
	}
}

describe('Ink text caches (patched)', () => {
	it('measureText forgets old strings: memory stays flat over 50,000 distinct ones', async () => {
		const measureText = await inkModule<MeasureText>('measure-text.js');
		expect(measureText('ab\ncde')).toEqual({width: 3, height: 2});
		const retained = retainedMegabytes(() => {
			eachDistinctRow(row => measureText(row));
		});
		expect(retained).toBeLessThan(3);
	});

	it('wrapText forgets old strings too, and never mistakes one text and width for another', async () => {
		const wrapText = await inkModule<WrapText>('wrap-text.js');
		// Unpatched, both calls share the key "ab12wrap" and the second returns the first's result.
		expect(wrapText('ab', 12, 'wrap')).toBe('ab');
		expect(wrapText('ab1', 2, 'wrap')).toBe('ab\n1');
		const retained = retainedMegabytes(() => {
			eachDistinctRow(row => wrapText(row, 40, 'truncate'));
		});
		expect(retained).toBeLessThan(3);
	});
});
