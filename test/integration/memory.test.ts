import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {connect} from 'node:net';
import {createInterface} from 'node:readline';
import {afterEach, describe, expect, it} from 'vitest';
import {childEnv, cliPath} from '../helpers/cli.js';
import {Peer} from '../helpers/peer.js';

const children: ChildProcess[] = [];

afterEach(() => {
	for (const child of children.splice(0)) {
		child.kill('SIGKILL');
	}
});

/** Peak resident memory of a process, in MB. */
function peakRssMb(pid: number): number {
	const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!;
	return Number(kb) / 1024;
}

/** Starts `socket-tui serve` in its own process (so its memory is its own); output is drained and dropped. */
async function serveInChild(args: readonly string[]): Promise<{child: ChildProcess; port: number; warnings: string[]}> {
	const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--no-udp', ...args], {env: childEnv(), stdio: ['ignore', 'pipe', 'inherit']});
	children.push(child);
	const warnings: string[] = [];
	const lines = createInterface({input: child.stdout!});
	const port = await new Promise<number>(resolve => {
		lines.on('line', line => {
			const listening = /TCP listening on 127\.0\.0\.1:(\d+)/.exec(line);
			if (listening) {
				resolve(Number(listening[1]));
			}

			if (/ ! /.test(line)) {
				warnings.push(line);
			}
		});
	});
	return {child, port, warnings};
}

const mb = 1024 * 1024;

describe('memory stays bounded', () => {
	it('under 200 MB sent with no newline: pieces of --max-line, a warning, others still served', async () => {
		const {child, port, warnings} = await serveInChild([]);
		const start = peakRssMb(child.pid!);
		const flooder = connect({port, host: '127.0.0.1'});
		flooder.resume(); // Reads (and drops) the replies, so only the line limit is tested.
		await new Promise(resolve => flooder.once('connect', resolve));
		const chunk = Buffer.alloc(mb, 0x78);
		for (let sent = 0; sent < 200; sent++) {
			if (!flooder.write(chunk)) {
				await new Promise(resolve => flooder.once('drain', resolve));
			}
		}

		const other = await Peer.connect(port);
		other.write('anyone there?\n');
		await other.waitForText('Hello, anyone there?!');
		other.socket.destroy();
		flooder.destroy();
		expect(warnings.some(line => line.includes('line longer than 65536 bytes'))).toBe(true);
		// The bound: what the process needed at start plus 150 MB, for 200 MB that went through.
		expect(peakRssMb(child.pid!) - start).toBeLessThan(150);
	}, 60_000);

	it('under 200,000 messages from a client that never reads: paused as slow, bounded, others served', async () => {
		const {child, port, warnings} = await serveInChild(['--max-buffer', '256k']);
		const start = peakRssMb(child.pid!);
		const hog = connect({port, host: '127.0.0.1'});
		hog.pause(); // Never reads.
		await new Promise(resolve => hog.once('connect', resolve));
		const batch = Buffer.from('spam\n'.repeat(10_000));
		// Queue 200,000 messages; once the server pauses us, most of them wait in our own buffer.
		for (let index = 0; index < 20; index++) {
			hog.write(batch);
		}

		const other = await Peer.connect(port);
		other.write('me too\n');
		await other.waitForText('Hello, me too!');
		const deadline = Date.now() + 20_000;
		while (!warnings.some(line => line.includes('peer is not reading')) && Date.now() < deadline) {
			await new Promise(resolve => setImmediate(resolve));
		}

		expect(warnings.some(line => line.includes('peer is not reading'))).toBe(true);
		expect(peakRssMb(child.pid!) - start).toBeLessThan(150);
		other.socket.destroy();
		hog.destroy();
	}, 60_000);
});
