import {connect, type Socket} from 'node:net';
import type {EventBus} from '../bus.js';
import type {ClientState, Eol, Remote} from '../events.js';
import {Framer} from '../protocol/framing.js';
import {line} from '../protocol/greeting.js';
import {toPayload} from '../protocol/payload.js';
import {endpoint, formatHostPort} from './address.js';
import {explainConnectError} from './errors.js';

export type TcpClientOptions = {
	readonly eol: Eol;
	readonly connectTimeoutMs: number;
	/** Received bytes are shown line by line; a tail without EOL after this many ms of silence. */
	readonly idleFlushMs: number;
	readonly maxLine: number;
};

const stateOfCode: Record<string, ClientState> = {
	ECONNREFUSED: 'refused',
	ECONNRESET: 'reset',
	EPIPE: 'reset',
	ETIMEDOUT: 'timeout',
};

let nextClientId = 1;

/**
 * The interactive TCP client: connect, send lines, receive, reconnect. Refusals, resets and
 * timeouts become `client.state` events with a readable reason, never exceptions.
 */
export class TcpClient {
	readonly id = nextClientId++;
	#socket: Socket | undefined;
	#framer: Framer | undefined;
	#remote: Remote | undefined;
	#state: ClientState = 'closed';

	constructor(
		private readonly bus: EventBus,
		private readonly options: TcpClientOptions,
	) {}

	get state(): ClientState {
		return this.#state;
	}

	get remote(): Remote | undefined {
		return this.#remote;
	}

	/** Dials host:port, dropping any current connection first. Resolves when the attempt ends. */
	async connect(remote: Remote): Promise<ClientState> {
		this.disconnect();
		this.#remote = remote;
		const started = performance.now();
		this.#publishState('connecting', remote);
		const socket = connect({host: remote.host, port: remote.port, noDelay: true, timeout: this.options.connectTimeoutMs});
		this.#socket = socket;
		let failure: string | undefined;
		let failedState: ClientState | undefined;

		const framer = new Framer({
			framing: 'line',
			maxLine: this.options.maxLine,
			idleFlushMs: this.options.idleFlushMs,
			onMessage: ({bytes}) => {
				this.bus.publish({type: 'client.received', id: this.id, bytes: bytes.length, ...toPayload(bytes)});
			},
		});
		this.#framer = framer;

		return new Promise<ClientState>(resolve => {
			socket.once('connect', () => {
				// The timeout guarded the connect; an idle chat must not be cut.
				socket.setTimeout(0);
				this.#publishState('connected', remote, undefined, {
					local: endpoint(socket.localAddress, socket.localPort, socket.localFamily),
					peer: endpoint(socket.remoteAddress, socket.remotePort, socket.remoteFamily),
					connectMs: Math.round((performance.now() - started) * 10) / 10,
				});
				resolve('connected');
			});
			socket.on('data', chunk => {
				framer.push(chunk);
			});
			socket.on('end', () => {
				framer.end();
			});
			socket.on('timeout', () => {
				failedState = 'timeout';
				failure = `no answer from ${formatHostPort(remote.host, remote.port)} within ${this.options.connectTimeoutMs} ms`;
				socket.destroy();
			});
			socket.on('error', (error: NodeJS.ErrnoException) => {
				failedState = stateOfCode[error.code ?? ''] ?? 'error';
				failure = explainConnectError(error, remote.host, remote.port).message;
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
				this.#publishState(state, remote, failure ?? 'connection closed by the server');
				resolve(state);
			});
		});
	}

	/** Sends one message followed by the EOL; false when not connected. */
	send(text: string): boolean {
		const socket = this.#socket;
		if (!socket || this.#state !== 'connected' || !socket.writable) {
			return false;
		}

		const bytes = line(text, this.options.eol);
		socket.write(bytes);
		this.bus.publish({type: 'client.sent', id: this.id, bytes: bytes.length, ...toPayload(Buffer.from(text, 'utf8'))});
		return true;
	}

	/** Closes the current connection, if any. */
	disconnect(): void {
		const socket = this.#socket;
		if (!socket) {
			return;
		}

		this.#socket = undefined;
		this.#framer?.dispose();
		this.#framer = undefined;
		socket.destroy();
		if (this.#remote) {
			this.#publishState('closed', this.#remote, 'disconnected');
		}
	}

	#publishState(state: ClientState, remote: Remote, reason?: string, extra: object = {}): void {
		this.#state = state;
		this.bus.publish({type: 'client.state', id: this.id, state, remote, ...(reason === undefined ? {} : {reason}), ...extra});
	}
}
