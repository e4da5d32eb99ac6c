import {createHash, randomBytes} from 'node:crypto';
import {createSocket} from 'node:dgram';
import {afterEach, describe, expect, it} from 'vitest';
import {RawCliProcess, runCliBytes} from '../helpers/cli.js';
import {readToEnd, startPeerServer, type PeerServer} from '../helpers/tcp-peer-server.js';
import {startTestServer, type TestServer} from '../helpers/server.js';

const servers: PeerServer[] = [];
const engines: TestServer[] = [];
const running: RawCliProcess[] = [];

afterEach(async () => {
	for (const cli of running.splice(0)) {
		cli.child.kill('SIGKILL');
	}

	await Promise.all(servers.splice(0).map(async server => server.close()));
	await Promise.all(engines.splice(0).map(async server => server.engine.stop()));
});

async function peerServer(onConnection?: Parameters<typeof startPeerServer>[0]): Promise<PeerServer> {
	const server = await startPeerServer(onConnection);
	servers.push(server);
	return server;
}

async function greetingServer(): Promise<TestServer> {
	const server = await startTestServer();
	engines.push(server);
	return server;
}

function cli(args: readonly string[]): RawCliProcess {
	const child = new RawCliProcess(args);
	running.push(child);
	return child;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('connect without a terminal is a byte-exact nc', () => {
	it('sends piped binary unchanged, half-closes at EOF, prints the answer sent after EOF and exits 0', async () => {
		const server = await peerServer(socket => {
			void readToEnd(socket).then(received => {
				socket.end(`RESULT ${received.length} ${sha256(received)}\n`);
			});
		});
		const data = randomBytes(200_000);
		const result = await runCliBytes(['connect', `127.0.0.1:${server.port}`], data);
		expect(result.stderr).toBe('');
		expect(result.stdout.toString('latin1')).toBe(`RESULT 200000 ${sha256(data)}\n`);
		expect(result.code).toBe(0);
	});

	it('writes received bytes to stdout unchanged (binary, CRLF, invalid UTF-8, escapes)', async () => {
		const payload = Buffer.concat([Buffer.from('a\r\nb\n\u001B[2J\r'), Buffer.from([0xFF, 0xC3, 0x00, 0x85]), randomBytes(100_000)]);
		const server = await peerServer(socket => {
			socket.end(payload);
		});
		const result = await runCliBytes(['connect', `127.0.0.1:${server.port}`], '');
		expect(result.stdout.equals(payload)).toBe(true);
		expect(result.code).toBe(0);
	});

	it('takes HOST PORT as two arguments, as nc does', async () => {
		const server = await peerServer(socket => {
			void readToEnd(socket).then(received => socket.end(received));
		});
		const result = await runCliBytes(['connect', '127.0.0.1', String(server.port)], 'echo me\n');
		expect(result.stdout.toString()).toBe('echo me\n');
		expect(result.code).toBe(0);
	});

	it('with --once and piped stdin, ends once the replies are in, even if the server stays open', async () => {
		const server = await peerServer(socket => {
			socket.on('data', (chunk: Buffer) => {
				socket.write(`got ${chunk.toString().trim()}\n`);
			});
		});
		const result = await runCliBytes(['connect', '--once', `127.0.0.1:${server.port}`], 'Bob\n');
		expect(result.stdout.toString()).toBe('got Bob\n');
		expect(result.code).toBe(0);
	});

	it('with --once, waits for a reply to every line, from a slow server, even when the lines came in one read', async () => {
		const server = await peerServer(socket => {
			let buffer = '';
			// One line at a time, 150 ms each, as a slow server answers.
			let busyUntil = Date.now();
			socket.on('data', (chunk: Buffer) => {
				buffer += chunk.toString();
				for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
					const line = buffer.slice(0, newline);
					buffer = buffer.slice(newline + 1);
					busyUntil = Math.max(busyUntil, Date.now()) + 150;
					setTimeout(() => socket.write(`R:${line}\n`), busyUntil - Date.now());
				}
			});
		});
		const result = await runCliBytes(['connect', '--once', '--no-shutdown', `127.0.0.1:${server.port}`], 'a\nb\nc\n');
		expect(result.stdout.toString()).toBe('R:a\nR:b\nR:c\n');
		expect(result.code).toBe(0);
	});

	it('exits soon after the peer closes while stdin stays open (the grace period)', async () => {
		const server = await greetingServer();
		const child = cli(['connect', `127.0.0.1:${server.port}`]);
		child.child.stdin.write('exit\n');
		// stdin is never ended: the server's close alone must end the run.
		const {code} = await child.exited;
		expect(code).toBe(0);
		expect(child.stdout.toString()).toBe('Welcome!\n');
	});

	it('keeps sending to a peer that only half-closed, within --grace', async () => {
		let received: Promise<Buffer> | undefined;
		const server = await peerServer(socket => {
			received = readToEnd(socket);
			socket.end('bye\n');
		});
		const child = cli(['connect', '-v', '--grace', '10s', `127.0.0.1:${server.port}`]);
		await child.waitFor((stdout, stderr) => stdout.toString() === 'bye\n' && /half-close/.test(stderr));
		child.child.stdin.end('late\n');
		expect((await child.exited).code).toBe(0);
		expect((await received!).toString()).toBe('late\n');
	});

	it('-q 0 quits right after stdin EOF although the server stays open', async () => {
		let received: Promise<Buffer> | undefined;
		const server = await peerServer(socket => {
			received = readToEnd(socket);
		});
		const result = await runCliBytes(['connect', '-q', '0', `127.0.0.1:${server.port}`], 'hi\n');
		expect(result.code).toBe(0);
		expect((await received!).toString()).toBe('hi\n');
	});

	it('--no-shutdown does not half-close at stdin EOF', async () => {
		let endBeforeOurs = false;
		let closedByUs = false;
		const server = await peerServer(socket => {
			socket.on('end', () => {
				endBeforeOurs ||= !closedByUs;
			});
			socket.on('data', () => {
				socket.write('ok\n');
			});
		});
		const child = cli(['connect', '--no-shutdown', `127.0.0.1:${server.port}`]);
		child.child.stdin.end('hi\n');
		await child.waitFor(stdout => stdout.toString() === 'ok\n');
		const socket = await server.nextSocket();
		closedByUs = true;
		socket.end();
		expect((await child.exited).code).toBe(0);
		expect(endBeforeOurs).toBe(false);
	});

	it('prints the human transcript on stderr with -v, and on stdout only with --transcript', async () => {
		const server = await greetingServer();
		const verbose = await runCliBytes(['connect', '-v', `127.0.0.1:${server.port}`], 'Michael\n');
		expect(verbose.stdout.toString()).toBe('Welcome!\nHello, Michael!\n');
		expect(verbose.stderr).toMatch(/← "Hello, Michael!"/);
		expect(verbose.code).toBe(0);
		const transcript = await runCliBytes(['connect', '--transcript', `127.0.0.1:${server.port}`], 'Michael\n');
		expect(transcript.stdout.toString()).toMatch(/→ "Michael"/);
		expect(transcript.stdout.toString()).toMatch(/← "Hello, Michael!"/);
		expect(transcript.stderr).toBe('');
	});

	it('says in one line on stderr that the connection was refused, and exits 1', async () => {
		const server = await peerServer();
		const {port} = server;
		await server.close();
		servers.length = 0;
		const result = await runCliBytes(['connect', `127.0.0.1:${port}`], 'x\n');
		expect(result.code).toBe(1);
		expect(result.stdout.length).toBe(0);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain(`connection refused by 127.0.0.1:${port}`);
	});
});

describe('connect -z checks ports, like nc -z', () => {
	it('prints one line per port and exits 0 when one accepted, 1 when none did', async () => {
		const open = await peerServer();
		const closed = await peerServer();
		const closedPort = closed.port;
		await closed.close();
		servers.splice(servers.indexOf(closed), 1);
		const some = await runCliBytes(['connect', '-z', '127.0.0.1', `${open.port}`]);
		expect(some.stdout.toString()).toMatch(new RegExp(`^127\\.0\\.0\\.1:${open.port} open`));
		expect(some.code).toBe(0);
		const none = await runCliBytes(['connect', '-z', `127.0.0.1:${closedPort}`]);
		expect(none.stdout.toString()).toMatch(new RegExp(`^127\\.0\\.0\\.1:${closedPort} closed`));
		expect(none.code).toBe(1);
	});

	it('takes a range of ports and reports each in order', async () => {
		const open = await peerServer();
		const low = Math.max(1, open.port - 1);
		const result = await runCliBytes(['connect', '-z', '127.0.0.1', `${low}-${open.port + 1}`]);
		const lines = result.stdout.toString().trim().split('\n');
		expect(lines.map(line => Number(/:(\d+) /.exec(line)![1]))).toEqual(Array.from({length: open.port + 2 - low}, (_, index) => low + index));
		expect(lines.find(line => line.startsWith(`127.0.0.1:${open.port} `))).toMatch(/ open/);
		expect(result.code).toBe(0);
	});
});

describe('UDP from stdin, like nc -u', () => {
	it('send-udp reads one datagram per stdin line when no message is given', async () => {
		const server = await greetingServer();
		const result = await runCliBytes(['send-udp', `127.0.0.1:${server.port}`], 'Michael\r\nTracy\n');
		expect(result.stdout.toString()).toBe('Hello, Michael!\nHello, Tracy!\n');
		expect(result.code).toBe(0);
		const datagrams = server.log.of('udp.datagram').map(event => event.text);
		expect(datagrams).toEqual(['Michael', 'Tracy']);
	});

	it('send-udp --whole sends all of stdin as one datagram', async () => {
		const server = await greetingServer();
		const result = await runCliBytes(['send-udp', '--whole', `127.0.0.1:${server.port}`], 'a\nb\n');
		expect(result.code).toBe(0);
		expect(server.log.of('udp.datagram').map(event => event.text)).toEqual(['a\nb\n']);
	});

	it('connect -u sends each stdin line as one datagram, newline included, and prints the replies', async () => {
		const socket = createSocket('udp4');
		const seen: string[] = [];
		socket.on('message', (message, info) => {
			seen.push(message.toString('latin1'));
			socket.send(Buffer.concat([Buffer.from('re:'), message]), info.port, info.address);
		});
		await new Promise<void>(resolve => {
			socket.bind(0, '127.0.0.1', resolve);
		});
		try {
			const result = await runCliBytes(['connect', '-u', '--wait', '1000', `127.0.0.1:${socket.address().port}`], 'one\ntwo\n');
			expect(seen).toEqual(['one\n', 'two\n']);
			expect(result.stdout.toString()).toBe('re:one\nre:two\n');
			expect(result.code).toBe(0);
		} finally {
			socket.close();
		}
	});
});
