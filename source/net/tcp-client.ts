import {connect, type Socket} from 'node:net';
import {TLSSocket} from 'node:tls';
import type {EventBus} from '../bus.js';
import type {ClientState, ClientSummary, Eol, Framing, Remote} from '../events.js';
import {binaryFraming, encodeFrame} from '../protocol/binary-framing.js';
import {createFramer, type MessageFramer} from '../protocol/framers.js';
import {line} from '../protocol/greeting.js';
import {framed, toPayload} from '../protocol/payload.js';
import {formatRemote} from '../format/host-port.js';
import {endpoint} from './address.js';
import {explainConnectError, explainTlsError, explainUnixConnectError} from './errors.js';
import {tlsOver, tlsSummary, type TlsClientOptions} from './tls-session.js';
import {dialThroughProxy} from './proxy.js';
import type {ProxySpec} from '../protocol/address-grammar.js';
import {messageOf, type ExplainedError} from '../errors.js';

export type TcpClientOptions = {
	readonly eol: Eol;
	readonly connectTimeoutMs: number;
	/** Received bytes are shown line by line; a tail without EOL after this many ms of silence. */
	readonly idleFlushMs: number;
	readonly maxLine: number;
	/** How what arrives is cut into messages (and what is sent framed); default lines. */
	readonly framing?: Framing;
	/** How a tls:// remote's certificate is checked (--insecure, --ca). */
	readonly tlsClient?: TlsClientOptions;
	/** --proxy: dial host:port remotes through it (SOCKS5 or HTTP CONNECT). */
	readonly proxy?: ProxySpec;
};

const stateOfCode: Record<string, ClientState> = {
	ECONNREFUSED: 'refused',
	ECONNRESET: 'reset',
	EPIPE: 'reset',
	ETIMEDOUT: 'timeout',
};

let nextClientId = 1;

/** How one connection is run (the screen uses the defaults; `connect` without a screen, nc's). */
export type ConnectOptions = {
	/**
	 * Keep our side open when the peer half-closes (its FIN), so what we still send reaches a peer
	 * that only shut down writing; the caller ends or closes the connection itself.
	 */
	readonly halfOpen?: boolean;
	/** Every chunk as it arrives, before framing: the exact bytes, for an nc-like stdout. */
	readonly onBytes?: (chunk: Buffer) => void;
};

/** Unanswered sends remembered for round-trip times; older ones are forgotten. */
const maxPendingSends = 1024;

/** Counters of one connection, for RTTs and the closing summary. */
class Session {
	/** When the connection attempt left (see connect): the start of the connect time. */
	started = performance.now();
	connectedAt: number | undefined;
	bytesIn = 0;
	bytesOut = 0;
	messagesSent = 0;
	messagesReceived = 0;
	readonly #pendingSends: number[] = [];

	sent(bytes: number): void {
		this.bytesOut += bytes;
		this.messagesSent++;
		if (this.#pendingSends.length === maxPendingSends) {
			this.#pendingSends.shift();
		}

		this.#pendingSends.push(performance.now());
	}

	/** Counts a message whose first byte arrived at `arrivedAt`; returns its round-trip time when it answers a send. */
	received(arrivedAt: number): number | undefined {
		this.messagesReceived++;
		const sentAt = this.#pendingSends.shift();
		return sentAt === undefined ? undefined : round(Math.max(0, arrivedAt - sentAt));
	}

	get pending(): number {
		return this.#pendingSends.length;
	}

	summary(): ClientSummary | undefined {
		if (this.connectedAt === undefined) {
			return undefined;
		}

		const durationMs = round(performance.now() - this.connectedAt);
		return {
			connectMs: round(this.connectedAt - this.started),
			durationMs,
			bytesIn: this.bytesIn,
			bytesOut: this.bytesOut,
			messagesSent: this.messagesSent,
			messagesReceived: this.messagesReceived,
			bytesInPerSec: durationMs > 0 ? Math.round((this.bytesIn / durationMs) * 1000) : 0,
		};
	}
}

function round(ms: number): number {
	return Math.round(ms * 100) / 100;
}

/**
 * The interactive TCP client: connect, send lines, receive, reconnect. Refusals, resets and
 * timeouts become `client.state` events with a readable reason, never exceptions.
 */
export class TcpClient {
	readonly id = nextClientId++;
	#socket: Socket | undefined;
	#framer: MessageFramer | undefined;
	#remote: Remote | undefined;
	#state: ClientState = 'closed';
	#session: Session | undefined;
	/** Lines sent on this connection ({seq}). */
	#linesSent = 0;

	constructor(
		private readonly bus: EventBus,
		private readonly options: TcpClientOptions,
	) {}

	get state(): ClientState {
		return this.#state;
	}

	/** Messages sent on this connection and not yet answered. */
	get pendingReplies(): number {
		return this.#session?.pending ?? 0;
	}

	get remote(): Remote | undefined {
		return this.#remote;
	}

	/** Dials host:port, dropping any current connection first. Resolves when the attempt ends. */
	async connect(remote: Remote, {halfOpen = false, onBytes}: ConnectOptions = {}): Promise<ClientState> {
		this.disconnect();
		this.#remote = remote;
		const session = new Session();
		this.#session = session;
		this.#publishState('connecting', remote);
		const {proxy} = this.options;
		let tcp: Socket;
		if (proxy && remote.path === undefined) {
			// Through the proxy: the tunnel is up (or the step that failed is told) before we go on.
			// Its connect time is the proxy's and the tunnel's together.
			session.started = performance.now();
			try {
				tcp = await dialThroughProxy(proxy, remote.host, remote.port, this.options.connectTimeoutMs);
				tcp.allowHalfOpen = halfOpen;
			} catch (error) {
				const state: ClientState = (error as ExplainedError).explained?.code === 'proxy-refused' ? 'refused' : 'error';
				this.#publishState(state, remote, messageOf(error), withSummary(session));
				return state;
			}
		} else {
			tcp = remote.path === undefined
				? connect({host: remote.host, port: remote.port, noDelay: true, timeout: this.options.connectTimeoutMs, allowHalfOpen: halfOpen})
				: connect({path: remote.path, timeout: this.options.connectTimeoutMs, allowHalfOpen: halfOpen});
		}

		const proxied = proxy !== undefined && remote.path === undefined;
		// tls://: TLS over our own TCP socket (it keeps allowHalfOpen and the connect timeout).
		const socket: Socket = remote.tls ? tlsOver(tcp, remote.host, this.options.tlsClient ?? {insecure: false}) : tcp;
		let tcpConnectedAt: number | undefined = proxied ? performance.now() : undefined;
		if (socket !== tcp) {
			tcp.once('connect', () => {
				tcpConnectedAt = performance.now();
			});
			tcp.on('timeout', () => {
				socket.emit('timeout');
			});
		}

		if (!proxied) {
			// Node issues the connect() system call on the next tick (after a lookup, for a name):
			// the connect time starts there, not with the setup of the socket object.
			process.nextTick(() => {
				session.started = performance.now();
			});
		}
		this.#socket = socket;
		this.#linesSent = 0;
		let failure: string | undefined;
		let failedState: ClientState | undefined;

		// When the first byte of the message being framed arrived: a reply without a newline is
		// only delivered after the idle flush, but its round trip ended when it arrived.
		let messageStart = 0;
		let chunkArrival = 0;
		// …and the wall-clock time of the latest read: a message's time is when its last byte came
		// (a tail delivered by the idle flush arrived before the flush).
		let chunkTs = 0;
		const framer = createFramer({
			framing: this.options.framing ?? 'line',
			maxLine: this.options.maxLine,
			idleFlushMs: this.options.idleFlushMs,
			onMessage: ({bytes, ending, skipped}) => {
				const rttMs = session.received(messageStart);
				messageStart = chunkArrival;
				// `bytes`: this message's share of the wire, its ending and the blank lines before it too.
				const payload = {bytes: skipped.length + bytes.length + ending.length, ...toPayload(bytes), ...framed(ending, skipped)};
				const ts = chunkTs === 0 ? Date.now() : chunkTs;
				this.bus.emit(rttMs === undefined
					? {type: 'client.received', ts, id: this.id, ...payload}
					: {type: 'client.received', ts, id: this.id, rttMs, ...payload});
			},
		});
		this.#framer = framer;

		return new Promise<ClientState>(resolve => {
			const onConnected = (): void => {
				// The timeout guarded the connect; an idle chat must not be cut.
				tcp.setTimeout(0);
				socket.setTimeout(0);
				session.connectedAt = performance.now();
				const tcpMs = round((tcpConnectedAt ?? session.connectedAt) - session.started);
				const connected = {
					local: endpoint(socket.localAddress, socket.localPort, socket.localFamily),
					peer: endpoint(socket.remoteAddress, socket.remotePort, socket.remoteFamily),
					connectMs: tcpMs,
				};
				this.#publishState('connected', remote, undefined, socket instanceof TLSSocket ? {...connected, tls: tlsSummary(socket, session.connectedAt - (tcpConnectedAt ?? session.started))} : connected);
				resolve('connected');
			};

			if (proxied) {
				// The tunnel handed over paused (the target may have spoken already): read it now.
				tcp.resume();
			}

			if (proxied && socket === tcp) {
				// The tunnel is already up: its 'connect' is behind us.
				process.nextTick(onConnected);
			} else {
				socket.once(socket === tcp ? 'connect' : 'secureConnect', onConnected);
			}
			socket.on('data', chunk => {
				session.bytesIn += chunk.length;
				chunkArrival = performance.now();
				chunkTs = Date.now();
				if (framer.buffered === 0) {
					messageStart = chunkArrival;
				}

				onBytes?.(chunk);
				framer.push(chunk);
			});
			socket.on('end', () => {
				const skipped = framer.end();
				this.bus.publish(skipped.length === 0 ? {type: 'client.end', id: this.id, by: 'peer'} : {type: 'client.end', id: this.id, by: 'peer', skipped: skipped.toString('latin1')});
			});
			socket.on('timeout', () => {
				failedState = 'timeout';
				failure = `no answer from ${formatRemote(remote)} within ${this.options.connectTimeoutMs} ms`;
				socket.destroy();
			});
			socket.on('error', (error: NodeJS.ErrnoException) => {
				const tls = remote.tls && this.#state === 'connecting' ? explainTlsError(error, remote.host, remote.port) : undefined;
				failedState = tls ? 'error' : (stateOfCode[error.code ?? ''] ?? 'error');
				failure = tls ? `${tls.message} (${tls.hint})` : (remote.path === undefined ? explainConnectError(error, remote.host, remote.port) : explainUnixConnectError(error, formatRemote(remote))).message;
			});
			socket.on('close', () => {
				framer.end();
				framer.dispose();
				if (this.#socket !== socket) {
					// Closed by disconnect() or a newer connect(), which told the state already.
					resolve('closed');
					return;
				}

				this.#socket = undefined;
				this.#framer = undefined;
				const state = failedState ?? 'closed';
				this.#publishState(state, remote, failure ?? 'connection closed by the server', withSummary(session));
				resolve(state);
			});
		});
	}

	/**
	 * Sends one message followed by the EOL; false when not connected. `{seq}` in a text line is
	 * this connection's count of lines sent (1, 2, 3…), as a traffic generator numbers its
	 * messages. Bytes (escapes already read) go as they are, then the EOL.
	 */
	send(text: string | Uint8Array): boolean {
		const socket = this.#socket;
		if (!socket || this.#state !== 'connected' || !socket.writable) {
			return false;
		}

		this.#linesSent++;
		const body = typeof text === 'string' ? text.replaceAll('{seq}', String(this.#linesSent)) : withSeq(Buffer.from(text), this.#linesSent);
		const binary = binaryFraming(this.options.framing ?? 'line');
		// A length prefix or a delimiter frames the line instead of the EOL.
		const bytes = binary ? encodeFrame(binary, typeof body === 'string' ? Buffer.from(body, 'utf8') : body) : line(body, this.options.eol);
		socket.write(bytes);
		this.#session?.sent(bytes.length);
		// The exact bytes, the line ending included (the transcript shows the text without it).
		this.bus.publish({type: 'client.sent', id: this.id, bytes: bytes.length, ...toPayload(bytes)});
		return true;
	}

	/**
	 * Writes bytes exactly as given (no EOL added): what nc does with its stdin. Returns false
	 * when the socket's buffer is full (wait for whenDrained) or the client is not connected.
	 */
	write(bytes: Buffer): boolean {
		const socket = this.#socket;
		if (!socket || this.#state !== 'connected' || !socket.writable || bytes.length === 0) {
			return false;
		}

		const flushed = socket.write(bytes);
		this.#session?.sent(bytes.length);
		this.bus.publish({type: 'client.sent', id: this.id, bytes: bytes.length, ...toPayload(bytes)});
		return flushed;
	}

	/** Resolves once the socket's write buffer has drained (or at once when it is empty or gone). */
	async whenDrained(): Promise<void> {
		const socket = this.#socket;
		if (!socket || !socket.writableNeedDrain) {
			return;
		}

		await new Promise<void>(resolve => {
			const done = (): void => {
				socket.off('drain', done);
				socket.off('close', done);
				resolve();
			};

			socket.on('drain', done);
			socket.on('close', done);
		});
	}

	/**
	 * Half-closes: sends our FIN after what is queued (shutdown(SHUT_WR)); we keep reading until
	 * the peer closes. Resolves once the FIN has been handed to the kernel.
	 */
	async shutdown(): Promise<void> {
		const socket = this.#socket;
		if (!socket || !socket.writable) {
			return;
		}

		this.bus.publish({type: 'client.end', id: this.id, by: 'us'});
		await new Promise<void>(resolve => {
			socket.end(resolve);
		});
	}

	/** Stops reading from the socket (our reader is slow): TCP tells the peer to wait. */
	pauseReading(): void {
		this.#socket?.pause();
	}

	resumeReading(): void {
		this.#socket?.resume();
	}

	/** Closes the current connection, if any. */
	disconnect(reason = 'disconnected'): void {
		const socket = this.#socket;
		if (!socket) {
			return;
		}

		this.#socket = undefined;
		this.#framer?.dispose();
		this.#framer = undefined;
		socket.destroy();
		if (this.#remote) {
			this.#publishState('closed', this.#remote, reason, this.#session ? withSummary(this.#session) : {});
		}
	}

	#publishState(state: ClientState, remote: Remote, reason?: string, extra: object = {}): void {
		this.#state = state;
		this.bus.publish({type: 'client.state', id: this.id, state, remote, ...(reason === undefined ? {} : {reason}), ...extra});
	}
}

function withSummary(session: Session): {summary?: ClientSummary} {
	const summary = session.summary();
	return summary === undefined ? {} : {summary};
}

const seqToken = Buffer.from('{seq}');

/** `{seq}` in bytes (a line whose escapes were read) replaced by the count, as in text. */
function withSeq(bytes: Buffer, seq: number): Buffer {
	let at = bytes.indexOf(seqToken);
	if (at === -1) {
		return bytes;
	}

	const parts: Buffer[] = [];
	let from = 0;
	const number = Buffer.from(String(seq));
	while (at !== -1) {
		parts.push(bytes.subarray(from, at), number);
		from = at + seqToken.length;
		at = bytes.indexOf(seqToken, from);
	}

	parts.push(bytes.subarray(from));
	return Buffer.concat(parts);
}
