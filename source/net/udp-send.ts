import {createSocket} from 'node:dgram';
import type {EventBus} from '../bus.js';
import type {Remote} from '../events.js';
import {toPayload} from '../protocol/payload.js';
import {endpoint, resolveHost} from './address.js';
import {ExplainedError, explainConnectError, explainDatagramError} from './errors.js';

/** The largest UDP payload over IPv4 (65,535 − 8 bytes of UDP header − 20 of IP header). */
export const maxDatagram = 65_507;

export type UdpExchange = {
	readonly sent: Buffer;
	/** The reply, or undefined when none came within the wait. */
	readonly reply: Buffer | undefined;
};

/**
 * The tutorial's UDP client: for each message, send one datagram and wait up to `waitMs` for
 * one reply. The socket is connected, so a closed port is told (ICMP → ECONNREFUSED) instead of
 * silently timing out. With `waitMs` 0 it only sends.
 */
export async function exchangeDatagrams(bus: EventBus, remote: Remote, messages: Iterable<Buffer> | AsyncIterable<Buffer>, waitMs: number, onExchange: (exchange: UdpExchange) => void = () => undefined): Promise<UdpExchange[]> {
	const {address, family} = await resolveHost(remote.host).catch((error: unknown) => {
		throw new ExplainedError(explainConnectError(error, remote.host, remote.port));
	});
	const socket = createSocket(family === 'IPv6' ? 'udp6' : 'udp4');
	const peer = endpoint(address, remote.port, family);
	const replies: Buffer[] = [];
	let waiter: (() => void) | undefined;
	let failure: unknown;
	socket.on('message', (message, info) => {
		bus.publish({type: 'udp.datagram', peer: endpoint(info.address, info.port, info.family), bytes: message.length, ...toPayload(message)});
		replies.push(message);
		waiter?.();
	});
	socket.on('error', error => {
		failure = error;
		waiter?.();
	});

	try {
		await new Promise<void>((resolve, reject) => {
			socket.once('error', reject);
			socket.connect(remote.port, address, () => {
				socket.off('error', reject);
				resolve();
			});
		});
		const exchanges: UdpExchange[] = [];
		for await (const message of messages) {
			if (message.length > maxDatagram) {
				throw new ExplainedError({code: 'EMSGSIZE', message: `a message of ${message.length} bytes is too long for one datagram`, hint: `UDP carries at most ${maxDatagram} bytes in one datagram`});
			}

			replies.length = 0;
			await new Promise<void>((resolve, reject) => {
				socket.send(message, error => {
					if (error) {
						reject(error);
					} else {
						resolve();
					}
				});
			});
			bus.publish({type: 'udp.sent', peer, bytes: message.length, ...toPayload(message)});
			await waitForReply(waitMs, replies, callback => {
				waiter = callback;
			});
			if (failure !== undefined) {
				throw failure;
			}

			const exchange = {sent: message, reply: replies[0]};
			exchanges.push(exchange);
			onExchange(exchange);
		}

		return exchanges;
	} catch (error) {
		throw error instanceof ExplainedError ? error : new ExplainedError(explainDatagramError(error, remote.host, remote.port));
	} finally {
		socket.close();
	}
}

async function waitForReply(waitMs: number, replies: readonly Buffer[], setWaiter: (callback: (() => void) | undefined) => void): Promise<void> {
	if (waitMs <= 0 || replies.length > 0) {
		return;
	}

	await new Promise<void>(resolve => {
		const timer = setTimeout(done, waitMs);
		function done(): void {
			clearTimeout(timer);
			setWaiter(undefined);
			resolve();
		}

		setWaiter(done);
	});
}
