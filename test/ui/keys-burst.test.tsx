import {isDeepStrictEqual} from 'node:util';
import fc from 'fast-check';
import {afterEach, describe, expect, it} from 'vitest';
import {startFakeApp, type Call} from '../helpers/fake-app.js';
import {frameWith, tick} from '../helpers/ui.js';

const apps: Array<{dispose: () => void}> = [];
afterEach(() => {
	for (const app of apps.splice(0)) {
		app.dispose();
	}
});

function start(...args: Parameters<typeof startFakeApp>) {
	const app = startFakeApp(...args);
	apps.push(app);
	return app;
}

/** Lets Ink and React handle what was written, and run their effects. */
async function settle(): Promise<void> {
	for (let turn = 0; turn < 5; turn++) {
		await tick();
	}
}

const down = '\u001B[B';
const up = '\u001B[A';

describe('fast keys give the same result as slow keys', () => {
	it('a burst of lines, one write per key with no render between, sends every line', async () => {
		const app = start('connect');
		await settle();
		for (const key of 'one\rtwo\rthree\r') {
			app.stdin.write(key);
		}

		await settle();
		expect(app.calls).toEqual([['submit', 'one'], ['submit', 'two'], ['submit', 'three']]);
	});

	it('Down Down k in one burst kicks the row the marker is on', async () => {
		const app = start('serve');
		await settle();
		app.stdin.write(down);
		app.stdin.write(down);
		app.stdin.write('k');
		await settle();
		expect(app.calls).toEqual([['kick', 3]]);
	});

	it('keys in one write act as keys typed one by one', async () => {
		const app = start('serve');
		await settle();
		app.stdin.write(`${down}${down}k`);
		await settle();
		expect(app.calls).toEqual([['kick', 3]]);
	});

	it('a paste larger than a terminal read (4,095 bytes) arrives whole', async () => {
		const app = start('connect');
		await settle();
		const text = 'x'.repeat(5000);
		app.stdin.write(text.slice(0, 4095));
		app.stdin.write(text.slice(4095));
		app.stdin.write('\r');
		await settle();
		expect(app.calls).toEqual([['submit', text]]);
	});

	it('random key sequences leave the same state and actions whether sent in one write or key by key', async () => {
		const textKey = fc.constantFrom('a', 'b', 'k', 'q', 'x', '?', ' ', 'é', '😀');
		const modeKey = fc.constantFrom('\t', '\u001B[Z', down, up, '\r', 'k', 'b', '?', '\u001B[5~', '\u001B[6~', '\u007F');
		// A bare Esc followed by a character is Alt+character in one write: Esc only goes last.
		const sequence = fc.tuple(fc.array(fc.oneof(textKey, modeKey), {maxLength: 14}), fc.boolean());
		await fc.assert(fc.asyncProperty(sequence, async ([keys, endWithEscape]) => {
			const all = endWithEscape ? [...keys, '\u001B'] : keys;
			const one = startFakeApp('all');
			const many = startFakeApp('all');
			try {
				await settle();
				one.stdin.write(all.join(''));
				for (const key of all) {
					many.stdin.write(key);
					await settle();
				}

				// Both have handled every key once their states and requests agree (a lone Esc is
				// handed over a tick later); a mismatch still fails, after a bounded wait.
				const same = (): boolean => isDeepStrictEqual(one.calls, many.calls) && isDeepStrictEqual(one.model.getSnapshot(), many.model.getSnapshot());
				for (let attempt = 0; attempt < 100 && !same(); attempt++) {
					await settle();
				}

				const kept = (calls: Call[]): Call[] => calls;
				expect(kept(one.calls)).toEqual(kept(many.calls));
				expect(one.model.getSnapshot()).toEqual(many.model.getSnapshot());
				expect(one.model.quits).toBe(many.model.quits);
				// Until a key quits (the app then keeps whatever frame it last drew), the same frame,
				// times and ages aside (the two apps' events were stamped a moment apart).
				if (one.model.quits === 0) {
					const timeless = (frame: string | undefined): string => (frame ?? '').replaceAll(/\d\d:\d\d:\d\d/g, 'T').replaceAll(/\b\d+:\d\d\b/g, 'D');
					await frameWith(one.lastFrame, frame => timeless(frame) === timeless(many.lastFrame()));
				}
			} finally {
				one.dispose();
				many.dispose();
			}
		}), {numRuns: 25});
	}, 120_000);
});

describe('the input box edits like a terminal line', () => {
	const cases: Array<[string, string, string]> = [
		['Home (ESC[H)', 'world\u001B[HHello ', 'Hello world'],
		['Home (ESC[1~)', 'world\u001B[1~Hello ', 'Hello world'],
		['Home (ESC O H)', 'world\u001BOHHello ', 'Hello world'],
		['End (ESC[F)', 'ello\u001B[HH\u001B[F!', 'Hello!'],
		['End (ESC[4~)', 'ello\u001B[HH\u001B[4~!', 'Hello!'],
		['End (ESC O F)', 'ello\u001B[HH\u001BOF!', 'Hello!'],
		['Delete deletes forward', 'abc\u001B[H\u001B[3~', 'bc'],
		['Backspace deletes backward', 'abc\u007F', 'ab'],
		['Ctrl+A / Ctrl+E', 'bc\u0001a\u0005d', 'abcd'],
		['Ctrl+U deletes to the start', 'abc def\u0015xyz', 'xyz'],
		['Ctrl+K deletes to the end', 'abc def\u0001\u001B[C\u001B[C\u001B[C\u000B', 'abc'],
		['Ctrl+W deletes a word back', 'hello big world\u0017', 'hello big '],
		['Alt+Backspace deletes a word back', 'hello big world\u001B\u007F', 'hello big '],
		['Ctrl+Left / Ctrl+Right move by word', 'one two\u001B[1;5D\u001B[1;5DX\u001B[1;5C\u001B[1;5CY', 'Xone twoY'],
		['Backspace removes an emoji whole', 'a😀\u007F', 'a'],
		['Backspace removes a flag whole', 'a🇫🇷\u007F', 'a'],
		['focus reports are not text', 'a\u001B[I\u001B[Ob', 'ab'],
		['F-keys are not text', 'a\u001BOP\u001B[15~b', 'ab'],
		['a cursor report is not text', 'a\u001B[12;40Rb', 'ab'],
	];

	it.each(cases)('%s', async (_name, keys, sent) => {
		const app = start('connect');
		await settle();
		app.stdin.write(keys);
		await settle();
		app.stdin.write('\r');
		await settle();
		expect(app.calls).toEqual([['submit', sent]]);
	});

	it.each(cases)('%s, one key at a time', async (_name, keys, sent) => {
		const app = start('connect');
		await settle();
		for (const key of splitKeys(keys)) {
			app.stdin.write(key);
			await settle();
		}

		app.stdin.write('\r');
		await settle();
		expect(app.calls).toEqual([['submit', sent]]);
	});

	it('a multi-line paste sends its lines in order, the text after the last break stays', async () => {
		const app = start('connect');
		await settle();
		app.stdin.write('first\nsecond\r\nthird');
		await settle();
		expect(app.calls).toEqual([['submit', 'first'], ['submit', 'second']]);
		app.stdin.write('\r');
		await settle();
		expect(app.calls.at(-1)).toEqual(['submit', 'third']);
	});
});

/** Splits a key string into keys: escape sequences whole, everything else by code point. */
function splitKeys(keys: string): string[] {
	return keys.match(/\u001B\[[\d;]*[~A-Za-z]|\u001BO[A-Z]|\u001B\u007F|[\s\S]/gu) ?? [];
}

describe('a paste the terminal marks (bracketed paste)', () => {
	it('is never taken for keys outside an input box', async () => {
		const app = start('serve');
		await settle();
		app.stdin.write('\u001B[200~kkq\u001B[201~');
		await settle();
		expect(app.calls).toEqual([]);
	});

	it('is typed into the input box, its lines sent in order', async () => {
		const app = start('connect');
		await settle();
		app.stdin.write('\u001B[200~one\ntwo\nthr\u001B[201~ee\r');
		await settle();
		expect(app.calls).toEqual([['submit', 'one'], ['submit', 'two'], ['submit', 'three']]);
	});
});

describe('the hex view shows the wire bytes', () => {
	it('as offset · hex · ASCII rows, line endings included, both directions', async () => {
		const app = start('connect');
		app.bus.publish({type: 'client.sent', id: 1, bytes: 4, text: 'Hi\r\n'});
		app.bus.publish({type: 'client.received', id: 1, bytes: 11, text: 'Hello, Hi!', eol: '\r\n'});
		app.bus.publish({type: 'client.received', id: 1, bytes: 2, text: '\uFFFD', base64: Buffer.from([0xFF, 0x85]).toString('base64'), eol: ''});
		await settle();
		// The text view escapes the invalid bytes; it does not show U+FFFD.
		expect(app.lastFrame()).toContain('← \\xff\\x85');
		app.stdin.write('\u001B');
		await settle();
		app.stdin.write('x');
		await settle();
		const frame = app.lastFrame()!;
		expect(frame).toMatch(/0000 +48 69 0d 0a +\|Hi\.\.\|/);
		expect(frame).toMatch(/0000 +48 65 6c 6c 6f 2c 20 48 +69 21 0d 0a +\|Hello, Hi!\.\.\|/);
		expect(frame).toMatch(/0000 +ff 85 +\|\.\.\|/);
	});
});

describe('a key that quits', () => {
	it('ends the burst: the keys after it in the same write do nothing', async () => {
		const app = start('serve');
		await settle();
		app.stdin.write('qk');
		await settle();
		expect(app.calls).toEqual([]);
		expect(app.model.quits).toBe(1);
	});
});
