import {PassThrough} from 'node:stream';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import type {Endpoint, SocketEvent} from '../../source/events.js';
import {UsageError} from '../../source/errors.js';
import {logLines, readableVersion} from '../../source/protocol/log-lines.js';
import {attachNdjson, logVersion} from '../../source/sinks/ndjson.js';

/** What attachNdjson wrote for these events (each published as the engines do: emit, stamped). */
async function written(events: readonly SocketEvent[]): Promise<string> {
	const bus = new EventBus();
	const stream = new PassThrough();
	const chunks: Buffer[] = [];
	stream.on('data', (chunk: Buffer) => chunks.push(chunk));
	const detach = attachNdjson(bus, stream);
	for (const event of events) {
		bus.emit(event);
	}

	await detach();
	return Buffer.concat(chunks).toString('utf8');
}

/** The events a reader gets back from a log (header left out). */
function readBack(text: string): unknown[] {
	return logLines(text, 'test.ndjson').values.map(({value}) => value).filter(value => (value as {type: string}).type !== 'log.header');
}

const exchange = (ts: number, id: number, line: string, reply: string): SocketEvent[] => [
	{type: 'conn.read', ts, id, bytes: Buffer.byteLength(line) + 1},
	{type: 'conn.message', ts, id, text: line},
	{type: 'conn.reply', ts, id, kind: 'reply', text: reply},
	{type: 'conn.write', ts, id, bytes: Buffer.byteLength(reply)},
];

const peer: Endpoint = {address: '127.0.0.1', port: 5353, family: 'IPv4'};
const datagramExchange = (ts: number, text: string, reply: string, from: Endpoint = peer): SocketEvent[] => [
	{type: 'udp.datagram', ts, peer: from, bytes: Buffer.byteLength(text), text},
	{type: 'udp.reply', ts, peer: from, bytes: Buffer.byteLength(reply), text: reply},
];

describe('the log folds the common exchange (log version 3)', () => {
	it('writes a read, its line, the reply and the write as one conn.exchange line', async () => {
		const text = await written(exchange(1000, 7, 'héllo "you"', 'Hello, héllo "you"!\n'));
		const lines = text.trimEnd().split('\n');
		expect(lines).toHaveLength(2);
		expect(JSON.parse(lines[0]!)).toMatchObject({type: 'log.header', version: 3});
		expect(lines[1]).toBe('{"type":"conn.exchange","ts":1000,"id":7,"bytes":13,"text":"héllo \\"you\\"","reply":"Hello, héllo \\"you\\"!\\n"}');
		expect(readBack(text)).toEqual(exchange(1000, 7, 'héllo "you"', 'Hello, héllo "you"!\n'));
	});

	it('writes a datagram and its reply as one udp.exchange line', async () => {
		const events = datagramExchange(2000, 'ping\n', 'Hello, ping!\n', {address: '::1', port: 7, family: 'IPv6'});
		const text = await written(events);
		expect(text.slice(text.indexOf('\n') + 1)).toBe('{"type":"udp.exchange","ts":2000,"peer":{"address":"::1","port":7,"family":"IPv6"},"bytes":5,"text":"ping\\n","reply":"Hello, ping!\\n"}\n');
		expect(readBack(text)).toEqual(events);
	});

	it('writes a datagram that is refused, binary, unanswered or answered to another peer as the events it is', async () => {
		const unfoldable: SocketEvent[][] = [
			[{type: 'udp.datagram', ts: 1, peer, bytes: 2, text: 'hi', denied: true}],
			[{type: 'udp.datagram', ts: 1, peer, bytes: 1, text: '\uFFFD', base64: '/w=='}, {type: 'udp.reply', ts: 1, peer, bytes: 1, text: 'x'}],
			[{type: 'udp.datagram', ts: 1, peer, bytes: 2, text: 'hi'}, {type: 'conn.open', ts: 1, id: 1, peer, local: peer}],
			[{type: 'udp.datagram', ts: 1, peer, bytes: 2, text: 'hi'}, {type: 'udp.reply', ts: 1, peer: {...peer, port: 1}, bytes: 1, text: 'x'}],
			[{type: 'udp.datagram', ts: 1, peer, bytes: 2, text: 'hi'}, {type: 'udp.reply', ts: 2, peer, bytes: 1, text: 'x'}],
			[{type: 'udp.datagram', ts: 1, peer, bytes: 2, text: 'hi'}, {type: 'udp.reply', ts: 1, peer, bytes: 1, text: '\uFFFD', base64: '/w=='}],
		];
		for (const events of unfoldable) {
			const text = await written(events);
			expect(text).not.toContain('udp.exchange');
			expect(text.slice(text.indexOf('\n') + 1)).toBe(events.map(event => JSON.stringify(event) + '\n').join(''));
		}
	});

	it('writes anything else as the events it is: other line endings, binary, pieces, other times or connections, a write that is not the reply', async () => {
		const unfoldable: SocketEvent[][] = [
			[{type: 'conn.read', ts: 1, id: 1, bytes: 4}, {type: 'conn.message', ts: 1, id: 1, text: 'hi', eol: '\r\n'}, {type: 'conn.reply', ts: 1, id: 1, kind: 'reply', text: 'x'}, {type: 'conn.write', ts: 1, id: 1, bytes: 1}],
			[{type: 'conn.read', ts: 1, id: 1, bytes: 3}, {type: 'conn.message', ts: 1, id: 1, text: '\uFFFD', base64: '/w=='}, {type: 'conn.reply', ts: 1, id: 1, kind: 'reply', text: 'x'}, {type: 'conn.write', ts: 1, id: 1, bytes: 1}],
			[{type: 'conn.read', ts: 1, id: 1, bytes: 9}, {type: 'conn.message', ts: 1, id: 1, text: 'piece', partial: true}, {type: 'conn.reply', ts: 1, id: 1, kind: 'reply', text: 'x'}, {type: 'conn.write', ts: 1, id: 1, bytes: 1}],
			[{type: 'conn.read', ts: 1, id: 1, bytes: 3}, {type: 'conn.message', ts: 2, id: 1, text: 'hi'}, {type: 'conn.reply', ts: 2, id: 1, kind: 'reply', text: 'x'}, {type: 'conn.write', ts: 2, id: 1, bytes: 1}],
			[{type: 'conn.read', ts: 1, id: 1, bytes: 3}, {type: 'conn.message', ts: 1, id: 2, text: 'hi'}, {type: 'conn.reply', ts: 1, id: 2, kind: 'reply', text: 'x'}, {type: 'conn.write', ts: 1, id: 2, bytes: 1}],
			// A length-prefixed reply: the write is its frame, not its text.
			[{type: 'conn.read', ts: 1, id: 1, bytes: 3}, {type: 'conn.message', ts: 1, id: 1, text: 'hi'}, {type: 'conn.reply', ts: 1, id: 1, kind: 'reply', text: 'x'}, {type: 'conn.write', ts: 1, id: 1, bytes: 5}],
			[{type: 'conn.read', ts: 1, id: 1, bytes: 3}, {type: 'conn.message', ts: 1, id: 1, text: 'hi'}, {type: 'conn.reply', ts: 1, id: 1, kind: 'chat', text: 'x'}, {type: 'conn.write', ts: 1, id: 1, bytes: 1}],
			// No reply: a read and its line, then the end.
			[{type: 'conn.read', ts: 1, id: 1, bytes: 3}, {type: 'conn.message', ts: 1, id: 1, text: 'hi'}, {type: 'conn.end', ts: 1, id: 1}],
			// A read that frames nothing yet, alone at the end of the log.
			[{type: 'conn.read', ts: 1, id: 1, bytes: 3}],
		];
		for (const events of unfoldable) {
			const text = await written(events);
			expect(text).not.toContain('conn.exchange');
			expect(text.slice(text.indexOf('\n') + 1)).toBe(events.map(event => JSON.stringify(event) + '\n').join(''));
		}
	});

	it('gives back every event, in order, whatever is folded (random mixes of exchanges and the rest)', async () => {
		const step = fc.oneof(
			fc.tuple(fc.string({unit: 'binary', maxLength: 40}), fc.string({unit: 'binary', maxLength: 40}), fc.nat(3)).map(([line, reply, id]) => ({kind: 'exchange' as const, line, reply, id})),
			fc.tuple(fc.string({maxLength: 20}), fc.nat(3), fc.constantFrom('\r\n', '\r', '')).map(([line, id, eol]) => ({kind: 'crlf' as const, line, id, eol})),
			fc.tuple(fc.nat(3), fc.nat(100)).map(([id, bytes]) => ({kind: 'read' as const, id, bytes})),
			fc.tuple(fc.string({maxLength: 20}), fc.nat(3)).map(([text, id]) => ({kind: 'message' as const, text, id})),
			fc.tuple(fc.string({maxLength: 20}), fc.nat(3)).map(([text, id]) => ({kind: 'welcome' as const, text, id})),
			fc.tuple(fc.string({unit: 'binary', maxLength: 20}), fc.string({unit: 'binary', maxLength: 20}), fc.nat(3)).map(([text, reply, id]) => ({kind: 'datagram' as const, text, reply, id})),
			fc.tuple(fc.string({maxLength: 20}), fc.nat(3)).map(([text, id]) => ({kind: 'unanswered' as const, text, id})),
		);
		await fc.assert(fc.asyncProperty(fc.array(step, {maxLength: 40}), async steps => {
			let ts = 1_700_000_000_000;
			const events: SocketEvent[] = steps.flatMap((item): SocketEvent[] => {
				ts += item.id;
				switch (item.kind) {
					case 'exchange': {
						return exchange(ts, item.id, item.line, item.reply);
					}

					case 'crlf': {
						return [{type: 'conn.read', ts, id: item.id, bytes: Buffer.byteLength(item.line) + item.eol.length}, {type: 'conn.message', ts, id: item.id, text: item.line, eol: item.eol}];
					}

					case 'read': {
						return [{type: 'conn.read', ts, id: item.id, bytes: item.bytes}];
					}

					case 'message': {
						return [{type: 'conn.message', ts, id: item.id, text: item.text}];
					}

					case 'welcome': {
						return [{type: 'conn.reply', ts, id: item.id, kind: 'welcome', text: item.text}, {type: 'conn.write', ts, id: item.id, bytes: Buffer.byteLength(item.text)}];
					}

					case 'datagram': {
						return datagramExchange(ts, item.text, item.reply, {...peer, port: item.id});
					}

					case 'unanswered': {
						return [{type: 'udp.datagram', ts, peer: {...peer, port: item.id}, bytes: Buffer.byteLength(item.text), text: item.text}];
					}
				}
			});
			expect(readBack(await written(events))).toEqual(events);
		}), {numRuns: 300});
	});

	it('is read by this version: the readers know the version the writer writes', () => {
		expect(readableVersion).toBe(logVersion);
	});

	it('refuses an exchange line without its fields, naming the file and line', () => {
		const header = '{"type":"log.header","ts":1,"version":3,"tool":"socket-tui"}\n';
		const text = header + '{"type":"conn.exchange","ts":2,"id":1,"text":"hi","reply":"x"}\n';
		expect(() => logLines(text, 'run.ndjson')).toThrow(UsageError);
		expect(() => logLines(text, 'run.ndjson')).toThrow('run.ndjson:2: a conn.exchange line needs bytes (a number)');
		expect(() => logLines(header + '\n{"type":"udp.exchange","ts":2,"bytes":2,"peer":{"address":"::1"},"text":"hi","reply":"x"}\n', 'run.ndjson')).toThrow('run.ndjson:3: a udp.exchange line needs peer (an address and a port)');
		expect(() => logLines(header + '{"type":"conn.exchange","ts":2,"id":1,"bytes":3,"reply":"x"}\n', 'run.ndjson')).toThrow('run.ndjson:2: a conn.exchange line needs text (a string)');
	});
});

describe('a log read in pieces (as log-file.ts reads a file)', () => {
	/** `text` cut at these places (sorted, in range): what a file read in chunks gives the reader. */
	const piecesOf = (text: string, cuts: number[]): string[] => {
		const at = [...new Set(cuts.map(cut => cut % (text.length + 1)))].sort((a, b) => a - b);
		return [0, ...at].map((start, index) => text.slice(start, at[index] ?? text.length));
	};

	const header = JSON.stringify({type: 'log.header', ts: 1, version: 3});
	const line = (ts: number, text: string): string => JSON.stringify({type: 'conn.message', ts, id: 1, text});

	it('reads the same values, cut flag and errors as from the whole text, wherever the pieces end', () => {
		const logs = fc.array(fc.oneof(
			fc.tuple(fc.nat(1000), fc.string({unit: 'grapheme'})).map(([ts, text]) => line(ts, text)),
			fc.constant(''),
			fc.constant(header),
			fc.constant('{"type":"conn.mess'),
			fc.constant(`{"type":"conn.mess${header}`),
		), {maxLength: 12}).chain(lines => fc.tuple(fc.constant(lines), fc.boolean(), fc.array(fc.nat(), {maxLength: 6})));
		fc.assert(fc.property(logs, ([lines, newlineAtEnd, cuts]) => {
			const text = [header, ...lines].join('\n') + (newlineAtEnd ? '\n' : '');
			const read = (source: string | string[]) => {
				try {
					return logLines(source, 'run.ndjson');
				} catch (error) {
					return (error as Error).message;
				}
			};

			expect(read(piecesOf(text, cuts))).toEqual(read(text));
		}), {numRuns: 300});
	});

	it('keeps a line whole across many pieces, and names the file and line of one cut off mid-way', () => {
		const long = line(2, 'é'.repeat(50_000));
		const text = `${header}\n${long}\n${long.slice(0, 100)}`;
		const pieces = piecesOf(text, Array.from({length: 40}, (_, index) => index * 2503));
		const read = logLines(pieces, 'run.ndjson');
		expect(read.values.map(({line}) => line)).toEqual([1, 2]);
		expect(read.cut).toBe(true);
		expect(() => logLines([`${header}\n`, long.slice(0, 30), '\n', header, 'x\n'], 'run.ndjson')).toThrow('run.ndjson:3: not an NDJSON log line');
	});
});
