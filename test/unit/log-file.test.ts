import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/errors.js';
import {logFileText} from '../../source/protocol/log-file.js';

const dir = mkdtempSync(join(tmpdir(), 'socket-tui-log-file-'));

describe('logFileText', () => {
	it('gives the file\'s text in pieces of at most 1 MB, a character cut between two reads kept whole', () => {
		const file = join(dir, 'run.ndjson');
		// 'é' is 2 bytes: the 1 MB boundary falls inside one after the odd byte before them.
		const text = `x${'é'.repeat(1024 * 1024)}\n`;
		writeFileSync(file, text);
		const pieces = [...logFileText(file)];
		expect(pieces.length).toBeGreaterThan(1);
		expect(pieces.every(piece => Buffer.byteLength(piece) <= 1024 * 1024)).toBe(true);
		expect(pieces.join('')).toBe(text);
	});

	it('refuses, when opened, a file that is missing or a directory, with the name the user gave', () => {
		expect(() => logFileText(join(dir, 'missing.ndjson'), '--mock missing.ndjson')).toThrow(UsageError);
		expect(() => logFileText(join(dir, 'missing.ndjson'), '--mock missing.ndjson')).toThrow(/^cannot read --mock missing\.ndjson: ENOENT/);
		expect(() => logFileText(dir)).toThrow(`cannot read ${dir}: EISDIR`);
	});
});
