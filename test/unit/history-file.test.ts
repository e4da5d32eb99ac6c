import {mkdtemp, rm, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {historyPath, loadHistory, maxHistory, saveHistory} from '../../source/state/history-file.js';

let home: string;

beforeEach(async () => {
	home = await mkdtemp(join(tmpdir(), 'socket-tui-home-'));
});

afterEach(async () => {
	await rm(home, {recursive: true, force: true});
});

describe('input history file', () => {
	it('lives under the XDG state directory, or ~/.local/state', () => {
		expect(historyPath({HOME: home})).toBe(join(home, '.local', 'state', 'socket-tui', 'history'));
		expect(historyPath({HOME: home, XDG_STATE_HOME: join(home, 'state')})).toBe(join(home, 'state', 'socket-tui', 'history'));
	});

	it('is written and read back from a temporary HOME, readable only by its owner', async () => {
		const file = historyPath({HOME: home});
		expect(loadHistory(file)).toEqual([]);
		expect(saveHistory(file, ['Michael', '/connect [::1]:9999', 'exit'])).toBeUndefined();
		expect(loadHistory(file)).toEqual(['Michael', '/connect [::1]:9999', 'exit']);
		expect((await stat(file)).mode & 0o777).toBe(0o600);
	});

	it('stays bounded', () => {
		const file = historyPath({HOME: home});
		saveHistory(file, Array.from({length: maxHistory + 50}, (_, index) => `line ${index}`));
		const lines = loadHistory(file);
		expect(lines).toHaveLength(maxHistory);
		expect(lines.at(-1)).toBe(`line ${maxHistory + 49}`);
	});

	it('reports a failure instead of throwing', async () => {
		// A directory that cannot be made: its parent is a file.
		const file = join(home, 'plain-file');
		await writeFile(file, '');
		expect(saveHistory(join(file, 'socket-tui', 'history'), ['x'])).toBeInstanceOf(Error);
	});
});
