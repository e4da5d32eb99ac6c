import {isUtf8} from 'node:buffer';
import {createSocket, type RemoteInfo, type Socket} from 'node:dgram';
import type {EventBus} from '../bus.js';
import type {Endpoint, Remote} from '../events.js';
import type {Reply, Responder} from '../protocol/greeting.js';
import type {AllowList} from './allow-list.js';
import {toPayload} from '../protocol/payload.js';
import {endpoint, familyOf, resolveHost} from './address.js';
import {ExplainedError, explainBindError, explainConnectError} from './errors.js';

export type UdpEndpointOptions = {
	readonly host: string;
	readonly port: number;
	/** Answers each datagram; undefined to stay silent. */
	readonly responder?: Responder;
	/** Datagrams from peers outside these ranges are recorded but not answered. */
	readonly allow?: AllowList;
};

/**
 * The UDP endpoint: each datagram is one message, answered as the tutorial's UDP server does,
 * and a socket to send datagrams anywhere. Every datagram in or out is an event.
 */
export class UdpEndpoint {
	#socket: Socket | undefined;
	#bound: Endpoint | undefined;
	datagramsIn = 0;
	datagramsOut = 0;

	constructor(
		private readonly bus: EventBus,
		private readonly options: UdpEndpointOptions,
	) {}

	/** Binds; publishes udp.listening, or udp.error and rejects. */
	async bind(): Promise<Endpoint> {
		const {host, port} = this.options;
		try {
			const {address, family} = await resolveHost(host);
			const socket = createSocket({type: family === 'IPv6' ? 'udp6' : 'udp4', ipv6Only: family === 'IPv6'});
			await new Promise<void>((resolve, reject) => {
				socket.once('error', reject);
				socket.bind({address, port, exclusive: true}, () => {
					socket.off('error', reject);
					resolve();
				});
			});
			this.#socket = socket;
		} catch (error) {
			const explained = explainBindError(error, host, port, 'UDP');
			this.bus.publish({type: 'udp.error', host, port, ...explained});
			throw new ExplainedError(explained);
		}

		const socket = this.#socket;
		enlargeReceiveBuffer(socket);
		const bound = socket.address();
		this.#bound = {address: bound.address, port: bound.port, family: familyOf(bound.family, bound.address)};
		socket.on('message', this.#onMessage);
		socket.on('error', error => {
			// Sending to a closed port can surface here (ICMP); it must not stop the endpoint.
			const explained = explainConnectError(error, this.#bound?.address ?? host, this.#bound?.port ?? port);
			this.bus.publish({type: 'udp.error', host: this.#bound?.address ?? host, port: this.#bound?.port ?? port, ...explained});
		});
		this.bus.publish({type: 'udp.listening', host: this.#bound.address, port: this.#bound.port, family: this.#bound.family, receiveBuffer: socket.getRecvBufferSize()});
		return this.#bound;
	}

	get address(): Endpoint | undefined {
		return this.#bound;
	}

	/** Sends one datagram from the endpoint's socket; replies come back as udp.datagram. */
	async send(remote: Remote, bytes: Buffer): Promise<void> {
		const socket = this.#socket;
		if (!socket) {
			throw new Error('UDP endpoint is not bound');
		}

		const {address} = await resolveHost(remote.host);
		await new Promise<void>((resolve, reject) => {
			socket.send(bytes, remote.port, address, error => {
				if (error) {
					reject(new ExplainedError(explainConnectError(error, remote.host, remote.port)));
					return;
				}

				resolve();
			});
		});
		this.datagramsOut++;
		this.bus.publish({type: 'udp.sent', peer: endpoint(address, remote.port, undefined), bytes: bytes.length, ...toPayload(bytes)});
	}

	async close(): Promise<void> {
		const socket = this.#socket;
		if (!socket) {
			return;
		}

		this.#socket = undefined;
		await new Promise<void>(resolve => {
			socket.close(() => {
				resolve();
			});
		});
		if (this.#bound) {
			this.bus.publish({type: 'udp.closed', host: this.#bound.address, port: this.#bound.port});
		}
	}

	readonly #onMessage = (message: Buffer, info: RemoteInfo): void => {
		this.datagramsIn++;
		const ts = Date.now();
		const peer = endpoint(info.address, info.port, info.family);
		if (this.options.allow && !this.options.allow.allows(info.address)) {
			this.bus.emit({type: 'udp.datagram', ts, peer, bytes: message.length, denied: true, ...toPayload(message)});
			return;
		}

		// No hold here, unlike TCP: dgram's send resolves the address on a later tick even for an
		// IP literal, so holding the events would not get the answer out first.
		const decoded = message.toString('utf8');
		const text = isUtf8(message) ? decoded : undefined;
		this.bus.emit(text === undefined
			? {type: 'udp.datagram', ts, peer, bytes: message.length, text: decoded, base64: message.toString('base64')}
			: {type: 'udp.datagram', ts, peer, bytes: message.length, text});
		// Never answer ourselves: replies to our own replies would loop for ever.
		const fromSelf = info.port === this.#bound?.port && info.address === this.#bound.address;
		const reply = fromSelf ? undefined : this.options.responder?.reply(message, peer, text);
		if (reply !== undefined && this.#socket) {
			this.#reply(reply, peer, ts);
		}
	};

	#reply(reply: Reply, peer: Endpoint, ts: number): void {
		if (typeof reply === 'string') {
			const bytes = Buffer.from(reply, 'utf8');
			this.#socket!.send(bytes, peer.port, peer.address);
			this.bus.emit({type: 'udp.reply', ts, peer, bytes: bytes.length, text: reply});
			return;
		}

		this.#socket!.send(reply, peer.port, peer.address);
		this.bus.emit({type: 'udp.reply', ts, peer, bytes: reply.length, ...toPayload(reply)});
	}
}

/** Receive buffers to ask for, largest first (the kernel's default holds ~200 KB). */
const receiveBufferSizes = [4 * 1024 * 1024, 1024 * 1024, 256 * 1024];

/**
 * Asks for a larger receive buffer, so that a burst of datagrams waits in the kernel while we
 * catch up instead of being dropped. Linux caps the size at net.core.rmem_max; other systems
 * refuse a size over their limit, so smaller ones are tried; the default stays if none is taken.
 */
function enlargeReceiveBuffer(socket: Socket): void {
	for (const size of receiveBufferSizes) {
		try {
			if (socket.getRecvBufferSize() >= size) {
				return;
			}

			socket.setRecvBufferSize(size);
			return;
		} catch {
			// Over this system's limit: try a smaller size.
		}
	}
}
