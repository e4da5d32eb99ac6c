import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {configFromFlags} from '../../source/config.js';
import {jsonLine} from '../../source/sinks/json-line.js';
import {CliProcess, runCli} from '../helpers/cli.js';
import {Peer} from '../helpers/peer.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => server.engine.stop()));
});

/** A port the OS just gave out and took back: nothing listens there. */
async function closedPort(): Promise<number> {
	const gone = await startTestServer({udp: false});
	const {port} = gone;
	await gone.engine.stop();
	return port;
}

/** A conversation with a real server, written as its --log would be. */
async function record(): Promise<string> {
	const server = await startTestServer({udp: false});
	servers.push(server);
	const peer = await Peer.connect(server.port);
	await peer.waitForText('Welcome!\n');
	peer.write('Michael\r\n');
	await peer.waitForText('Hello, Michael!\n');
	peer.write('Bob\n');
	await peer.waitForText('Hello, Bob!\n');
	peer.socket.end();
	await server.log.waitFor('conn.close');
	const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-replay-')), 'run.ndjson');
	writeFileSync(file, server.log.events.map(event => jsonLine(event)).join(''));
	return file;
}

describe('replay FILE --to HOST:PORT', () => {
	it('exits 0 when today\'s replies are the recorded ones, byte for byte', async () => {
		const file = await record();
		const today = await startTestServer({udp: false});
		servers.push(today);
		const {code, stdout} = await runCli(['replay', file, '--to', `127.0.0.1:${today.port}`]);
		expect(stdout).toContain('"Michael\\r\\n" → same (16 bytes)');
		expect(stdout).toContain('replayed 1 connection: 3 replies the same, 0 different');
		expect(code).toBe(0);
		// The server saw the recorded bytes, the CRLF included.
		expect(today.log.of('conn.message')[0]).toMatchObject({text: 'Michael', eol: '\r\n'});
	});

	it('exits 1 and says where a reply differs, and when the server cannot be reached', async () => {
		const file = await record();
		const changed = await startTestServer({udp: false, replyRules: configFromFlags({reply: ['^Bob$=>Hi Bob']}).replyRules});
		servers.push(changed);
		const {code, stdout} = await runCli(['replay', file, '--to', `127.0.0.1:${changed.port}`]);
		expect(code).toBe(1);
		expect(stdout).toContain('"Bob\\n" → DIFFERS at byte 1: recorded "Hello, Bob!\\n", got "Hi Bob\\n"');
		// A difference far into a long reply is shown where it is, not hidden past the first 80 bytes.
		const server = await startTestServer({udp: false});
		servers.push(server);
		const peer = await Peer.connect(server.port);
		await peer.waitForText('Welcome!\n');
		peer.write(`${'a'.repeat(90)}\n`);
		await peer.waitForText('!\n');
		peer.socket.end();
		await server.log.waitFor('conn.close');
		const long = join(mkdtempSync(join(tmpdir(), 'socket-tui-replay-')), 'long.ndjson');
		writeFileSync(long, server.log.events.map(event => jsonLine(event)).join(''));
		const question = await startTestServer({udp: false, replyRules: configFromFlags({reply: ['^(a+)$=>Hello, $1?\n']}).replyRules});
		servers.push(question);
		const far = await runCli(['replay', long, '--to', `127.0.0.1:${question.port}`]);
		expect(far.stdout).toContain(`DIFFERS at byte 97: recorded …"${'a'.repeat(20)}!\\n", got …"${'a'.repeat(20)}?\\n"`);
		const json = await runCli(['replay', file, '--to', `127.0.0.1:${changed.port}`, '--json']);
		const types = json.stdout.trim().split('\n').map(line => (JSON.parse(line) as {type: string}).type);
		expect([types[0], types.at(-1)]).toEqual(['log.header', 'replay.done']);

		const refused = await runCli(['replay', file, '--to', `127.0.0.1:${await closedPort()}`]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('connection refused');
	});

	it('refuses a file that is not a log, a bad --speed or --run, and flags of the other replay, in one line', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-replay-')), 'notes.txt');
		writeFileSync(file, 'hello\n');
		expect((await runCli(['replay', file, '--to', `127.0.0.1:${await closedPort()}`])).stderr).toContain('not an NDJSON log line');
		const notLog = await runCli(['replay', file]);
		expect(notLog.code).toBe(2);
		expect(notLog.stderr.split('\n')[0]).toContain('notes.txt:1: not an NDJSON log line');
		const recorded = await record();
		for (const [args, message] of [
			[['--speed', '0'], '--speed takes a number from 0.1 to 1024'],
			[['--speed', 'fast'], '--speed takes a number from 0.1 to 1024'],
			[['--run', '2'], 'holds 1 run: --run takes 1 to 1'],
			[['--pace', 'recorded'], '--pace is for replay --to HOST:PORT'],
			[['--to', '127.0.0.1:1', '--speed', '2'], '--speed is for replaying into the screen or as text'],
			// It reads a log; it writes none (a --log that silently made no file misled).
			[['--log', join(tmpdir(), 'never-written.ndjson')], '--log does not apply to replay'],
		] as const) {
			const result = await runCli(['replay', recorded, ...args]);
			expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(message)]);
		}
	});

	it('replays what a log cut off mid-line holds (a run killed while writing), and says so; a bad line elsewhere is still refused', async () => {
		const {readFileSync} = await import('node:fs');
		const whole = readFileSync(await record(), 'utf8');
		const dir = mkdtempSync(join(tmpdir(), 'socket-tui-cut-'));
		const cut = join(dir, 'cut.ndjson');
		writeFileSync(cut, whole.slice(0, whole.lastIndexOf('"type":"conn.close"') + 10));
		const text = await runCli(['replay', cut]);
		expect(text.code).toBe(0);
		expect(text.stderr).toContain('cut.ndjson: a line was cut off (a run stopped while writing it): replaying the rest');
		expect(text.stdout).toContain('#1 ← "Bob"');
		// --mock from it: it answers from what the log holds, and says the log was cut.
		const mock = new CliProcess(['serve', '--mock', cut, '--port', '0', '--json']);
		await mock.waitForLine(line => line.includes('"server.listening"'));
		mock.child.kill('SIGTERM');
		await mock.exited;
		expect(mock.stderr).toBe(`socket-tui: ${cut}: a line was cut off (a run stopped while writing it): answering from the rest\n`);
		// Appended to by a later run: that run starts on a line of its own, and both replay.
		// (a datagram to a socket of this test's, on a port from the OS)
		const {createSocket} = await import('node:dgram');
		const sink = createSocket('udp4');
		await new Promise<void>(resolve => {
			sink.bind(0, '127.0.0.1', resolve);
		});
		const sent = await runCli(['send-udp', `127.0.0.1:${sink.address().port}`, 'x', '--wait', '0', '--log', cut]);
		sink.close();
		expect(sent.code).toBe(0);
		const appended = readFileSync(cut, 'utf8');
		expect(appended).toContain('{"type":"co\n{"type":"log.header"');
		// The cut line is mid-file now, before the next run: still said, by replay and replay --to.
		const first = await runCli(['replay', cut, '--run', '1']);
		expect([first.stdout, first.stderr]).toEqual([expect.stringContaining('#1 ← "Bob"'), `socket-tui: ${cut}: a line was cut off (a run stopped while writing it): replaying the rest\n`]);
		expect((await runCli(['replay', cut, '--to', `127.0.0.1:${await closedPort()}`])).stderr).toContain(`socket-tui: ${cut}: a line was cut off (a run stopped while writing it): replaying the rest\n`);
		// A file glued by an older version: the header after the cut part is found.
		const glued = join(dir, 'glued.ndjson');
		writeFileSync(glued, appended.replace('{"type":"co\n{', '{"type":"co{'));
		const fromGlued = await runCli(['replay', glued, '--run', '1']);
		expect([fromGlued.code, fromGlued.stdout]).toEqual([0, expect.stringContaining('#1 ← "Bob"')]);
		const bad = join(dir, 'bad.ndjson');
		writeFileSync(bad, `${whole.split('\n')[0]}\n{"type":\n${whole.split('\n').slice(1).join('\n')}`);
		const refused = await runCli(['replay', bad]);
		expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([2, expect.stringContaining('bad.ndjson:2: not an NDJSON log line')]);
	});

	it('replays a log of several runs with each connection named by its run, or one run with --run', async () => {
		const {readFileSync} = await import('node:fs');
		const header = `${JSON.stringify({type: 'log.header', ts: 1, version: 2, tool: 'socket-tui'})}\n`;
		const run = readFileSync(await record(), 'utf8');
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-runs-')), 'runs.ndjson');
		writeFileSync(file, header + run + header + run);
		const server = await startTestServer({udp: false});
		servers.push(server);
		const both = await runCli(['replay', file, '--to', `127.0.0.1:${server.port}`]);
		expect(both.code).toBe(0);
		expect(both.stdout).toContain('run 1 #1 greeting same');
		expect(both.stdout).toContain('run 2 #1 greeting same');
		const second = await runCli(['replay', file, '--to', `127.0.0.1:${server.port}`, '--run', '2']);
		expect(second.stdout.split('\n')[0]).toMatch(/^#1 greeting same/);
		expect(second.stdout).toContain('replayed 1 connection');
		const tooFar = await runCli(['replay', file, '--to', `127.0.0.1:${server.port}`, '--run', '3']);
		expect([tooFar.code, tooFar.stderr]).toEqual([2, expect.stringContaining('holds 2 runs with a conversation: --run takes 1 to 2')]);
	});

	it('piped, tells the recorded run as text, as --explain calls, or as NDJSON (the last run of an appended log, or --run N), and ends by itself', async () => {
		const first = await record();
		const text = await runCli(['replay', first]);
		expect(text.code).toBe(0);
		const lines = text.stdout.trim().split('\n').map(line => line.slice(13));
		expect(lines).toContain('#1 ← "Michael"');
		expect(lines).toContain('#1 → "Hello, Bob!"');
		expect(lines.at(-1)).toMatch(/^#1 closed \(eof\)/);
		const explained = await runCli(['replay', first, '--explain']);
		expect(explained.stdout).toContain('conn.recv(1024) -> b\'\'   # #1: the peer closed its side (FIN)');
		expect(explained.stdout).toMatch(/conn\.close\(\) +# #1: eof: after the peer's FIN: the peer closed first/);
		// Two runs in one file (as --log appends): the last by default, --run 1 the first.
		const {readFileSync} = await import('node:fs');
		const header = `${JSON.stringify({type: 'log.header', ts: 1, version: 2, tool: 'socket-tui'})}\n`;
		const two = join(mkdtempSync(join(tmpdir(), 'socket-tui-replay-')), 'two.ndjson');
		writeFileSync(two, header + readFileSync(first, 'utf8') + header + readFileSync(first, 'utf8').replaceAll('Michael', 'Tracy'));
		expect((await runCli(['replay', two])).stdout).toContain('"Tracy"');
		const json = await runCli(['replay', two, '--run', '1', '--json']);
		const events = json.stdout.trim().split('\n').map(line => JSON.parse(line) as {type: string; text?: string; ts: number});
		// The run's own header time (1, above), kept.
		expect(events[0]).toMatchObject({type: 'log.header', ts: 1});
		expect(events.some(event => event.text === 'Michael')).toBe(true);
		expect(events.some(event => event.text === 'Tracy')).toBe(false);
		// A log from a newer version: replayed as far as it is understood, and said.
		const newer = join(mkdtempSync(join(tmpdir(), 'socket-tui-replay-')), 'newer.ndjson');
		writeFileSync(newer, header.replace('"version":2', '"version":4') + readFileSync(first, 'utf8'));
		const told = await runCli(['replay', newer]);
		expect([told.code, told.stderr]).toEqual([0, `socket-tui: ${newer}: written by a newer socket-tui (log version 4; this one reads 1 to 3): replaying what it knows\n`]);
		expect(told.stdout).toContain('"Michael"');
		// replay --to and --mock say so too.
		const today = await startTestServer({udp: false});
		servers.push(today);
		const sent = await runCli(['replay', newer, '--to', `127.0.0.1:${today.port}`]);
		expect([sent.code, sent.stderr]).toEqual([0, `socket-tui: ${newer}: written by a newer socket-tui (log version 4; this one reads 1 to 3): replaying what it knows\n`]);
		const mock = new CliProcess(['serve', '--mock', newer, '--port', '0', '--json']);
		await mock.waitForLine(line => line.includes('"server.listening"'));
		mock.child.kill('SIGTERM');
		await mock.exited;
		expect(mock.stderr).toBe(`socket-tui: ${newer}: written by a newer socket-tui (log version 4; this one reads 1 to 3): answering from what it knows\n`);
	});
});

describe('serve --mock FILE', () => {
	it('answers as the recording did: its greeting, each message\'s replies in recorded order (the last repeats), nothing for the unrecorded', async () => {
		const lines = [
			{type: 'log.header', ts: 1, version: 2, tool: 'socket-tui'},
			{type: 'conn.open', ts: 1, id: 1, peer: {address: '127.0.0.1', port: 1, family: 'IPv4'}, local: {address: '127.0.0.1', port: 2, family: 'IPv4'}},
			{type: 'conn.reply', ts: 1, id: 1, kind: 'welcome', text: '220 ready\r\n'},
			{type: 'conn.message', ts: 2, id: 1, text: 'ping', eol: '\r\n'},
			{type: 'conn.reply', ts: 2, id: 1, kind: 'reply', text: 'pong 1\r\n'},
			{type: 'conn.message', ts: 3, id: 1, text: 'ping', eol: '\r\n'},
			{type: 'conn.reply', ts: 3, id: 1, kind: 'reply', text: 'pong 2\r\n'},
			{type: 'conn.message', ts: 4, id: 1, text: 'bin'},
			{type: 'conn.reply', ts: 4, id: 1, kind: 'reply', text: '\u0000\uFFFD', base64: Buffer.from([0, 0xFF]).toString('base64')},
			// Blank lines came before it on the wire: they are not part of the message.
			{type: 'conn.message', ts: 5, id: 1, text: 'ghost', skipped: '\r\n\n'},
			{type: 'conn.reply', ts: 5, id: 1, kind: 'reply', text: 'boo\n'},
		];
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-mock-')), 'smtp.ndjson');
		writeFileSync(file, lines.map(line => JSON.stringify(line)).join('\n') + '\n');
		const mock = await startTestServer({udp: false, mock: configFromFlags({mock: file}).mock});
		servers.push(mock);
		const peer = await Peer.connect(mock.port);
		await peer.waitForText('220 ready\r\n');
		peer.write('ping\n');
		await peer.waitForText('pong 1\r\n');
		peer.write('ping\r\nunknown\nping\n');
		await peer.waitForText('pong 1\r\npong 2\r\npong 2\r\n');
		peer.write('bin\n');
		await peer.waitForBytes(Buffer.from([0, 0xFF]));
		peer.write('\r\n\nghost\nghost\n');
		await peer.waitForText('boo\nboo\n');
		expect(mock.log.of('conn.message').map(event => event.text)).toEqual(['ping', 'ping', 'unknown', 'ping', 'bin', 'ghost', 'ghost']);
		expect(mock.log.of('conn.reply').map(event => event.text)).toEqual(['220 ready\r\n', 'pong 1\r\n', 'pong 2\r\n', 'pong 2\r\n', '\u0000\uFFFD', 'boo\n', 'boo\n']);
		expect(() => configFromFlags({mock: file, reply: ['a=>b']})).toThrow(/--mock answers from the recording/);
	});
});

describe('replay --pace recorded', () => {
	it('sends each message at its recorded moment from the first, connections overlapping as they did', async () => {
		const endpoint = {address: '127.0.0.1', port: 1, family: 'IPv4'};
		const lines = [
			{type: 'conn.open', ts: 1000, id: 1, peer: endpoint, local: endpoint},
			{type: 'conn.reply', ts: 1000, id: 1, kind: 'welcome', text: 'Welcome!\n'},
			{type: 'conn.open', ts: 1000, id: 2, peer: endpoint, local: endpoint},
			{type: 'conn.reply', ts: 1000, id: 2, kind: 'welcome', text: 'Welcome!\n'},
			{type: 'conn.message', ts: 1000, id: 1, text: 'a'},
			{type: 'conn.reply', ts: 1000, id: 1, kind: 'reply', text: 'Hello, a!\n'},
			{type: 'conn.message', ts: 1100, id: 2, text: 'b'},
			{type: 'conn.reply', ts: 1100, id: 2, kind: 'reply', text: 'Hello, b!\n'},
			{type: 'conn.message', ts: 1400, id: 1, text: 'c'},
			{type: 'conn.reply', ts: 1400, id: 1, kind: 'reply', text: 'Hello, c!\n'},
		];
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-pace-')), 'paced.ndjson');
		writeFileSync(file, lines.map(line => JSON.stringify(line)).join('\n') + '\n');
		const today = await startTestServer({udp: false});
		servers.push(today);
		const {code} = await runCli(['replay', file, '--to', `127.0.0.1:${today.port}`, '--pace', 'recorded']);
		expect(code).toBe(0);
		const at = (text: string): number => today.log.of('conn.message').find(event => event.text === text)!.ts;
		// b 100 ms after a, c 400 ms after a (as fast as replies come, both would go within a few ms).
		expect(at('b') - at('a')).toBeGreaterThanOrEqual(60);
		expect(at('c') - at('a')).toBeGreaterThanOrEqual(330);
		expect(at('c') - at('a')).toBeLessThan(2000);
		const opens = today.log.of('conn.open').map(event => event.ts);
		const closes = today.log.of('conn.close').map(event => event.ts);
		expect(opens[1]!).toBeLessThan(closes[0]!); // Both connections were open at once.
		expect((await runCli(['replay', file, '--to', `127.0.0.1:${today.port}`, '--pace', 'slow'])).code).toBe(2);
	});
});

describe('replay and --mock, at their edges', () => {
	it('refuse a log with no conversation (a wrong file must not pass CI), and the mock closes where the recorded server did', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'socket-tui-edge-'));
		writeFileSync(join(dir, 'header.ndjson'), JSON.stringify({type: 'log.header', ts: 1, version: 2, tool: 'socket-tui'}) + '\n');
		const empty = await runCli(['replay', join(dir, 'header.ndjson'), '--to', `127.0.0.1:${await closedPort()}`]);
		expect(empty.code).toBe(2);
		expect(empty.stderr).toContain('holds no conversation to replay');

		const file = await record();
		const lines = (await import('node:fs')).readFileSync(file, 'utf8');
		const server = await startTestServer({udp: false});
		servers.push(server);
		// Record a tutorial exit, then mock from that recording.
		const peer = await Peer.connect(server.port);
		await peer.waitForText('Welcome!\n');
		peer.write('exit\n');
		await peer.waitForClose();
		await server.log.waitFor('conn.close');
		const withExit = join(dir, 'exit.ndjson');
		writeFileSync(withExit, lines + server.log.events.map(event => jsonLine(event)).join(''));
		const config = configFromFlags({mock: withExit});
		expect(config.udp).toBe(false);
		const mock = await startTestServer({udp: false, mock: config.mock});
		servers.push(mock);
		const client = await Peer.connect(mock.port);
		await client.waitForText('Welcome!\n');
		client.write('exit\n');
		await client.waitForClose();
	});
});

describe('a damaged log', () => {
	it('is refused in one line naming the file, the line and the field, by replay, replay --to and --mock alike (exit 2, no --help hint)', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'socket-tui-damaged-'));
		const endpoint = {address: '127.0.0.1', port: 1, family: 'IPv4'};
		const cases: Array<[string, unknown, string]> = [
			['no-text.ndjson', {type: 'conn.message', ts: 2, id: 1}, 'a conn.message line needs text (a string)'],
			['no-bytes.ndjson', {type: 'conn.read', ts: 2, id: 1, bytes: '9'}, 'a conn.read line needs bytes (a number)'],
			['bad-eol.ndjson', {type: 'conn.message', ts: 2, id: 1, text: 'hi', eol: 13}, 'a conn.message line needs eol (a string, when present)'],
			['no-peer.ndjson', {type: 'udp.datagram', ts: 2, bytes: 2}, 'a udp.datagram line needs peer (an address and a port) and text (a string)'],
			['empty-peer.ndjson', {type: 'conn.open', ts: 2, id: 2, peer: {}, local: {address: '127.0.0.1', port: 2}}, 'a conn.open line needs peer (an address and a port)'],
			['no-upstream.ndjson', {type: 'relay.listening', ts: 2, host: '127.0.0.1', port: 1}, 'a relay.listening line needs upstream (a host and a port)'],
			['bad-side.ndjson', {type: 'relay.data', ts: 2, id: 1, from: 'sideways', bytes: 1, captured: 1, text: 'x'}, 'a relay.data line needs from ("client" or "upstream")'],
			['bad-base64.ndjson', {type: 'conn.message', ts: 2, id: 1, text: 'x', base64: '!!!notb64'}, 'a conn.message line needs base64 (standard base64, when present)'],
			['no-counts.ndjson', {type: 'conn.close', ts: 2, id: 1, reason: 'eof'}, 'a conn.close line needs bytesIn (a number), bytesOut (a number), messagesIn (a number) and durationMs (a number)'],
			['no-type.ndjson', {ts: 2, id: 1, text: 'x'}, 'not an event of a socket-tui log (each line has a "type" and a "ts")'],
			['array.ndjson', [1, 2], 'not an event of a socket-tui log (each line has a "type" and a "ts")'],
		];
		for (const [name, damaged, says] of cases) {
			const file = join(dir, name);
			writeFileSync(file, [{type: 'log.header', ts: 1, version: 3, tool: 'socket-tui'}, {type: 'conn.open', ts: 1, id: 1, peer: endpoint, local: endpoint}, damaged].map(line => JSON.stringify(line)).join('\n') + '\n');
			for (const args of [['replay', file], ['replay', file, '--explain'], ['replay', file, '--to', '127.0.0.1:1'], ['serve', '--mock', file, '--port', '0']]) {
				const {code, stderr} = await runCli(args);
				expect(code).toBe(2);
				expect(stderr).toBe(`socket-tui: ${file}:3: ${says}\n`);
			}
		}
	});
});

describe('serve --mock, with the tutorial', () => {
	it('answers the tutorial client byte for byte as the recorded server did (no newlines: --eol none)', async () => {
		/** The tutorial's client: the welcome, three names one recv each, exit; everything it received. */
		const tutorialClient = async (port: number): Promise<Buffer> => {
			const peer = await Peer.connect(port);
			await peer.waitForText('Welcome!');
			for (const name of ['Michael', 'Tracy', 'Sarah']) {
				peer.write(name);
				await peer.waitForText(`Hello, ${name}!`);
			}

			peer.write('exit');
			await peer.waitForClose();
			return peer.received;
		};

		const server = await startTestServer({udp: false, eol: 'none'});
		servers.push(server);
		const recorded = await tutorialClient(server.port);
		await server.log.waitFor('conn.close');
		const file = join(mkdtempSync(join(tmpdir(), 'socket-tui-mock-')), 'tutorial.ndjson');
		writeFileSync(file, server.log.events.map(event => jsonLine(event)).join(''));
		const mock = await startTestServer({udp: false, mock: configFromFlags({mock: file}).mock});
		servers.push(mock);
		const mocked = await tutorialClient(mock.port);
		expect(mocked.toString('latin1')).toBe(recorded.toString('latin1'));
		expect(recorded.toString()).toBe('Welcome!Hello, Michael!Hello, Tracy!Hello, Sarah!');
	});
});

describe('a log appended run after run', () => {
	it('keeps each run\'s connections apart (ids restart with each header)', async () => {
		const {readRecording} = await import('../../source/protocol/recording.js');
		const run = [
			{type: 'log.header', ts: 1, version: 2, tool: 'socket-tui'},
			{type: 'conn.message', ts: 2, id: 1, text: 'hi'},
			{type: 'conn.reply', ts: 2, id: 1, kind: 'reply', text: 'Hello, hi!\n'},
		].map(line => JSON.stringify(line)).join('\n');
		const {connections} = readRecording(`${run}\n${run}\n`, 'twice.ndjson');
		expect(connections).toHaveLength(2);
		expect(connections.every(connection => connection.turns.length === 1)).toBe(true);
	});
});
