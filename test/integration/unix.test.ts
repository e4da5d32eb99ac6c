import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, statSync, writeFileSync, existsSync, readFileSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {configFromFlags} from '../../source/config.js';
import {TcpClient} from '../../source/net/tcp-client.js';
import {relayDefaults, TcpRelay} from '../../source/net/tcp-relay.js';
import {RawCliProcess, runCliBytes} from '../helpers/cli.js';
import {EventLog} from '../helpers/collect.js';
import {Peer} from '../helpers/peer.js';
import {startTestServer, type TestServer} from '../helpers/server.js';
import {readToEnd} from '../helpers/tcp-peer-server.js';

const dir = mkdtempSync(join(tmpdir(), 'socket-tui-unix-'));
let count = 0;
const socketPath = (): string => join(dir, `s${++count}.sock`);

let server: TestServer | undefined;
const servers: Server[] = [];
afterEach(async () => {
	await server?.engine.stop();
	server = undefined;
	await Promise.all(servers.splice(0).map(async plain => new Promise(resolve => {
		plain.close(resolve);
	})));
});

async function plainServer(path: string, onConnection: (socket: Socket) => void): Promise<Server> {
	const plain = createServer({allowHalfOpen: true}, onConnection);
	servers.push(plain);
	await new Promise<void>(resolve => {
		plain.listen(path, resolve);
	});
	return plain;
}

describe('Unix sockets', () => {
	it('serve --unix: greets a client on the socket, rows are numbered, mode set, the file removed on exit', async () => {
		const path = socketPath();
		server = await startTestServer({unixPath: path, unixMode: 0o600, udp: false});
		expect(statSync(path).isSocket()).toBe(true);
		expect(statSync(path).mode & 0o777).toBe(0o600);
		const listening = await server.log.waitFor('server.listening');
		expect(listening).toMatchObject({host: `unix:${path}`, path});
		const peer = await Peer.connect(0, path);
		await peer.waitForText('Welcome!\n');
		peer.write('Sarah\n');
		await peer.waitForText('Hello, Sarah!\n');
		expect(server.log.of('conn.open')[0]!.peer.address).toBe('unix#1');
		await server.engine.stop();
		server = undefined;
		expect(existsSync(path)).toBe(false);
	});

	it('replaces a stale socket file of a dead server, refuses a live one, and never touches a regular file', async () => {
		const stale = socketPath();
		// A server killed with SIGKILL leaves its socket file behind, with nobody answering.
		const {spawn} = await import('node:child_process');
		const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => console.log('up'))`], {stdio: ['ignore', 'pipe', 'inherit']});
		await new Promise(resolve => child.stdout.once('data', resolve));
		child.kill('SIGKILL');
		await new Promise(resolve => child.once('exit', resolve));
		expect(existsSync(stale)).toBe(true);
		server = await startTestServer({unixPath: stale, udp: false});
		expect((await server.log.waitFor('server.listening')).replacedStale).toBe(true);

		const live = socketPath();
		await plainServer(live, socket => socket.destroy());
		await expect(startTestServer({unixPath: live, udp: false})).rejects.toThrow(/is in use: a server answers there/);

		const file = join(dir, 'notes.txt');
		writeFileSync(file, 'keep me');
		await expect(startTestServer({unixPath: file, udp: false})).rejects.toThrow(/exists and is not a socket/);
		expect(readFileSync(file, 'utf8')).toBe('keep me');
	});

	it('connect unix:/path as a client, and as nc when piped; an abstract name too', async () => {
		const path = socketPath();
		await plainServer(path, socket => {
			void readToEnd(socket).then(received => socket.end(Buffer.concat([Buffer.from('got '), received])));
		});
		const {code, stdout} = await runCliBytes(['connect', `unix:${path}`], 'hello\n');
		expect(code).toBe(0);
		expect(stdout.toString()).toBe('got hello\n');

		const abstract = `\0socket-tui-test-${process.pid}`;
		await plainServer(abstract, socket => {
			socket.end('abstract!\n');
		});
		const bus = new EventBus();
		const log = new EventLog(bus);
		const client = new TcpClient(bus, configFromFlags({}));
		expect(await client.connect({host: 'localhost', port: 0, path: abstract})).toBe('connected');
		expect((await log.waitFor('client.received')).text).toBe('abstract!');
		expect((await log.waitFor('client.state', event => event.state === 'connected'))).toBeDefined();
	});

	it('relay unix:/path passes bytes to a Unix socket upstream', async () => {
		const path = socketPath();
		await plainServer(path, socket => {
			void readToEnd(socket).then(received => socket.end(received.toString().toUpperCase()));
		});
		const bus = new EventBus();
		const log = new EventLog(bus);
		const relay = new TcpRelay(bus, {host: '127.0.0.1', port: 0, backlog: 511, upstream: {host: 'localhost', port: 0, path}, connectTimeoutMs: 2000, maxClients: 10, idleTimeoutMs: 0, captureBytes: Number.POSITIVE_INFINITY, ...relayDefaults});
		const bound = await relay.listen();
		const peer = await Peer.connect(bound.port);
		peer.socket.end('shout\n');
		await peer.waitForText('SHOUT\n');
		await log.waitFor('relay.close');
		await relay.close();
	});

	it('refuses --allow with --unix, a bad --unix-mode, and unix: where datagrams go', async () => {
		expect(() => configFromFlags({unix: '/tmp/x.sock', allow: ['127.0.0.1']})).toThrow(/--allow does not apply with --unix/);
		expect(() => configFromFlags({unix: '/tmp/x.sock', unixMode: '999'})).toThrow(/octal/);
		const {code, stderr} = await runCliBytes(['send-udp', 'unix:/tmp/x.sock', 'hi']);
		expect(code).toBe(2);
		expect(stderr).toContain('unix: cannot be used by send-udp');
	});
});

describe('Unix socket addresses are exact (through the CLI)', () => {
	it('refuses a path or abstract name longer than sun_path holds, on every command, before anything listens', async () => {
		const long = join(dir, '€'.repeat(60)); // 180 bytes of name alone
		const bytes = Buffer.byteLength(long);
		for (const args of [['serve', '--unix', long], ['connect', `unix:${long}`], ['relay', `unix:${long}`, '--port', '0'], ['serve', '--unix', `@${'n'.repeat(108)}`]]) {
			const {code, stderr} = await runCliBytes(args);
			expect(stderr, args.join(' ')).toMatch(new RegExp(`too long \\((${bytes}|108) > 107 bytes\\)`));
			expect(code, args.join(' ')).toBe(2);
		}

		expect(existsSync(long.slice(0, 108))).toBe(false);
	});

	it('serve --unix @name listens on exactly that abstract name (Python reaches it), and connect unix:@name reaches a Python listener', async () => {
		const name = `socket-tui-abs-${process.pid}-${++count}`;
		const cli = new RawCliProcess(['serve', '--unix', `@${name}`, '--json']);
		try {
			await cli.waitFor(stdout => stdout.toString().includes('"server.listening"'));
			const python = spawnSync('python3', ['-c', `import socket\ns=socket.socket(socket.AF_UNIX)\ns.connect('\\0${name}')\ns.sendall(b'Ann\\n')\ndata=b''\nwhile data.count(b'\\n')<2:\n  data+=s.recv(100)\nprint(data)`], {encoding: 'utf8', timeout: 10_000});
			expect(python.stderr).toBe('');
			expect(python.stdout).toBe(String.raw`b'Welcome!\nHello, Ann!\n'` + '\n');
		} finally {
			cli.child.kill();
			await cli.exited;
		}

		const listener = spawn('python3', ['-u', '-c', `import socket\ns=socket.socket(socket.AF_UNIX)\ns.bind('\\0${name}-py')\ns.listen()\nprint('ready')\nc,_=s.accept()\nc.sendall(b'from python\\n')\nc.close()`], {stdio: ['ignore', 'pipe', 'inherit']});
		await new Promise(resolve => listener.stdout.once('data', resolve));
		const {code, stdout} = await runCliBytes(['connect', `unix:@${name}-py`]);
		expect(stdout.toString()).toBe('from python\n');
		expect(code).toBe(0);
	});
});
