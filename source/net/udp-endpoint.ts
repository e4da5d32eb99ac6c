import {isUtf8} from 'node:buffer';
import {createSocket, type RemoteInfo, type Socket} from 'node:dgram';
import type {EventBus} from '../bus.js';
import type {Endpoint, Remote} from '../events.js';
import type {Reply, Responder} from '../protocol/greeting.js';
import type {AllowList} from './allow-list.js';
import {lineEndingLength} from '../protocol/line-ending.js';
import {toPayload} from '../protocol/payload.js';
import {endpoint, familyOf, resolveHost} from './address.js';
import {ExplainedError, explainBindError, explainDatagramError} from './errors.js';

export type UdpEndpointOptions = {
	readonly host: string;
	readonly port: number;
	/** Answers each datagram; undefined to stay silent. */
	readonly responder?: Responder;
	/** Datagrams from peers outside these ranges are recorded but not answered. */
	readonly allow?: AllowList;
	/**
	 * A datagram is one message: a trailing `\n` or `\r\n` is its sender's line ending, not part
	 * of it. True: the reply ends with the same terminator (the responder adds none).
	 */
	readonly echoTerminator?: boolean;
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
			// Dual stack, as a TCP listener on :: is: a wildcard bind serves IPv4 peers too (they
			// appear as ::ffff:a.b.c.d, which --allow matches by their IPv4 rules).
			const socket = createSocket({type: family === 'IPv6' ? 'udp6' : 'udp4', ipv6Only: false});
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
			const explained = explainDatagramError(error, this.#bound?.address ?? host, this.#bound?.port ?? port);
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

		const resolved = await resolveHost(remote.host);
		// A dual-stack IPv6 socket reaches an IPv4 peer at its mapped address.
		const address = resolved.family === 'IPv4' && this.#bound?.family === 'IPv6' ? `::ffff:${resolved.address}` : resolved.address;
		await new Promise<void>((resolve, reject) => {
			socket.send(bytes, remote.port, address, error => {
				if (error) {
					reject(new ExplainedError(explainDatagramError(error, remote.host, remote.port)));
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
		const valid = isUtf8(message);
		this.bus.emit(valid
			? {type: 'udp.datagram', ts, peer, bytes: message.length, text: decoded}
			: {type: 'udp.datagram', ts, peer, bytes: message.length, text: decoded, base64: message.toString('base64')});
		// Never answer ourselves: replies to our own replies would loop for ever.
		const fromSelf = info.port === this.#bound?.port && info.address === this.#bound.address;
		if (fromSelf || !this.options.responder || !this.#socket) {
			return;
		}

		const ending = lineEndingLength(message);
		const body = ending === 0 ? message : message.subarray(0, message.length - ending);
		const text = valid ? (ending === 0 ? decoded : decoded.slice(0, decoded.length - ending)) : undefined;
		const reply = this.options.responder.reply(body, peer, text);
		if (reply !== undefined) {
			this.#reply(this.options.echoTerminator && ending > 0 ? withEnding(reply, message.subarray(message.length - ending)) : reply, peer, ts);
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

/** A reply followed by the datagram's own terminator. */
function withEnding(reply: Reply, ending: Buffer): Reply {
	// A reply that ends its own line (a --reply template ending in \n) is sent as it is.
	if (typeof reply === 'string' ? reply.endsWith('\n') : reply.length > 0 && reply[reply.length - 1] === 0x0A) {
		return reply;
	}

	return typeof reply === 'string' ? reply + ending.toString('latin1') : Buffer.concat([reply, ending]);
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
