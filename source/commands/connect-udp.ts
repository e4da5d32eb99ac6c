import {createSocket} from 'node:dgram';
import {EventBus} from '../bus.js';
import type {Config} from '../config.js';
import type {Remote} from '../events.js';
import {untilShutdown} from '../lifecycle.js';
import {endpoint, resolveHost} from '../net/address.js';
import {explainDatagramError} from '../net/errors.js';
import {maxDatagram} from '../net/udp-send.js';
import {DisplayStream} from '../protocol/display-stream.js';
import {toPayload} from '../protocol/payload.js';
import type {Io} from './io.js';
import {attachPipeSinks, type PipeOutput} from './pipe-sinks.js';
import {linesOf} from './stdin-lines.js';

export type UdpPipeOptions = PipeOutput;

/**
 * `connect -u` like nc -u: each line of stdin (its `\n` included) is one datagram to the remote;
 * every datagram that comes back is printed (its exact bytes when stdout is not a terminal).
 * After stdin EOF it waits --wait ms for late replies, then exits 0. A port that answers
 * "unreachable" (nothing listens) ends the run with exit 1.
 */
export async function connectUdp(remote: Remote, config: Config, options: UdpPipeOptions, io: Io): Promise<number> {
	const bus = new EventBus();
	const sinks = attachPipeSinks(bus, config, options, io);
	const {bytesToStdout} = sinks;
	let failure: string | undefined;
	let stop: () => void = () => undefined;
	const stopped = new Promise<void>(resolve => {
		stop = resolve;
	});

	try {
		const {address, family} = await resolveHost(remote.host);
		const udp = createSocket(family === 'IPv6' ? 'udp6' : 'udp4');
		const peer = endpoint(address, remote.port, family);
		udp.on('message', (message, info) => {
			bus.publish({type: 'udp.datagram', peer: endpoint(info.address, info.port, info.family), bytes: message.length, ...toPayload(message)});
			if (bytesToStdout) {
				io.stdout.write(io.stdout.isTTY ? displayDatagram(message) : message);
			}
		});
		udp.on('error', error => {
			failure = explainDatagramError(error, remote.host, remote.port).message;
			stop();
		});
		await new Promise<void>((resolve, reject) => {
			udp.once('error', reject);
			udp.connect(remote.port, address, () => {
				udp.off('error', reject);
				resolve();
			});
		});

		const sending = (async () => {
			for await (const line of linesOf(io.stdin)) {
				if (failure !== undefined) {
					return;
				}

				if (line.length > maxDatagram) {
					failure = `a line of ${line.length} bytes is too long for one datagram (at most ${maxDatagram})`;
					stop();
					return;
				}

				await new Promise<void>(resolve => {
					udp.send(line, () => {
						resolve();
					});
				});
				bus.publish({type: 'udp.sent', peer, bytes: line.length, ...toPayload(line)});
			}

			// Late replies have --wait to arrive.
			setTimeout(stop, config.waitMs);
		})();
		void sending.catch(() => {
			stop();
		});
		const ended = await Promise.race([stopped.then(() => 'done' as const), untilShutdown([io.stdout, io.stderr])]);
		udp.close();
		io.stdin.destroy();
		if (ended !== 'done') {
			return 0;
		}
	} catch (error) {
		failure ??= explainDatagramError(error, remote.host, remote.port).message;
	} finally {
		await sinks.detach();
	}

	if (failure !== undefined) {
		io.stderr.write(`socket-tui: ${failure}\n`);
		return 1;
	}

	return 0;
}

/** A datagram for a terminal: escaped, on its own line. */
function displayDatagram(message: Buffer): string {
	const display = new DisplayStream();
	const text = display.push(message) + display.end();
	return text.endsWith('\n') ? text : `${text}\n`;
}
