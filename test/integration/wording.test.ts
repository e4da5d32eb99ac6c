import {createSocket} from 'node:dgram';
import {createServer as createTcpServer} from 'node:net';
import {describe, expect, it} from 'vitest';
import {runCliBytes} from '../helpers/cli.js';

// What the CLI says means what it says (through the packed CLI).

async function closedUdpPort(): Promise<number> {
	const socket = createSocket('udp4');
	await new Promise<void>(resolve => socket.bind(0, '127.0.0.1', resolve));
	const {port} = socket.address();
	await new Promise<void>(resolve => socket.close(() => resolve()));
	return port;
}

describe('wording', () => {
	it('a datagram to a closed port is told in UDP\'s words (no connection was refused), by send-udp and connect -u', async () => {
		const port = await closedUdpPort();
		const sent = await runCliBytes(['send-udp', `127.0.0.1:${port}`, 'hi']);
		expect(sent.stderr).toContain(`nothing is listening on UDP 127.0.0.1:${port} — it answered "port unreachable" (ICMP)`);
		expect(sent.stderr).not.toMatch(/connection refused/);
		expect(sent.code).toBe(1);
		const client = await runCliBytes(['connect', '-u', `127.0.0.1:${port}`], 'hi\n');
		expect(client.stderr).toContain(`nothing is listening on UDP 127.0.0.1:${port}`);
	});

	it('a headless server that cannot start says so once, on stderr', async () => {
		const taken = createTcpServer();
		await new Promise<void>(resolve => taken.listen(0, '127.0.0.1', resolve));
		try {
			const {port} = taken.address() as {port: number};
			const {code, stdout, stderr} = await runCliBytes(['serve', '--port', String(port), '--no-udp']);
			expect(code).toBe(1);
			expect(stdout.toString()).not.toContain('already in use');
			expect(stderr.match(/already in use/g)).toHaveLength(1);
		} finally {
			taken.close();
		}
	});

	it('one client is "1 client": the server-full notice counts in the singular', async () => {
		const {CliProcess} = await import('../helpers/cli.js');
		const {Peer} = await import('../helpers/peer.js');
		const cli = new CliProcess(['serve', '--port', '0', '--no-udp', '--json', '--max-clients', '1']);
		try {
			const {port} = JSON.parse(await cli.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
			const first = await Peer.connect(port);
			await first.waitForText('Welcome!');
			const second = await Peer.connect(port);
			await second.waitForText('Server full (1 client), try again later.');
			first.socket.destroy();
			second.socket.destroy();
		} finally {
			cli.child.kill();
			await cli.exited;
		}
	});
});
