import {createServer, type Server, type Socket} from 'node:net';
import {OutputBudget} from './output-budget.js';
import {plural} from '../format/plural.js';
import {createServer as createTlsServer} from 'node:tls';
import type {EventBus} from '../bus.js';
import type {Endpoint, Eol, Framing} from '../events.js';
import {greetingResponder, line, type Responder} from '../protocol/greeting.js';
import {endpoint, formatHostPort, isLoopback} from './address.js';
import type {AllowList} from './allow-list.js';
import {formatRemote} from '../format/host-port.js';
import {listenTcp} from './listen.js';
import {listenUnix} from './unix-listen.js';
import {peerOf, rememberPeer, tlsFailure} from './tls-session.js';
import {programsExited, type ExecCommand} from './exec-bridge.js';
import {ServerConnection} from './server-connection.js';

export type TcpServerOptions = {
	readonly host: string;
	readonly port: number;
	readonly backlog: number;
	readonly framing: Framing;
	readonly eol: Eol;
	readonly maxClients: number;
	readonly maxLine: number;
	readonly maxBuffer: number;
	/** Output all connections may hold together for peers that do not read (bytes; OutputBudget). */
	readonly maxBufferTotal?: number;
	readonly idleFlushMs: number;
	readonly lingerMs: number;
	readonly idleTimeoutMs: number;
	/** Only peers inside these ranges are served; undefined = everyone. */
	readonly allow?: AllowList;
	readonly responder?: Responder;
	/** Relay mode: each message is sent to every other open client, tagged with its sender. */
	readonly chat?: boolean;
	/** --tls: speak TLS to every client with this certificate and key (PEM). */
	readonly tls?: {readonly cert: string; readonly key: string};
	/** --exec/--sh-exec: each connection talks to its own run of this program. */
	readonly exec?: ExecCommand;
	/** --unix PATH: listen on this Unix socket instead of host and port (`\0name`: abstract). */
	readonly unixPath?: string;
	/** --unix-mode: the socket file's permissions. */
	readonly unixMode?: number;
};

/** The TCP server of the greeting protocol; every step is an event on the bus. */
export class TcpServer {
	readonly #connections = new Map<number, ServerConnection>();
	readonly #server: Server;
	readonly #responder: Responder;
	/** Each connection's limits, with the output budget they share. */
	readonly #limits: TcpServerOptions & {readonly budget?: OutputBudget};
	#nextId = 1;
	#active = 0;
	#bound: Endpoint | undefined;
	/** --unix: removes the socket file once closed. */
	#removeSocketFile: (() => void) | undefined;
	/** Called when the last connection has published its close (shutdown waits for it). */
	#onDrained: (() => void) | undefined;

	constructor(
		private readonly bus: EventBus,
		private readonly options: TcpServerOptions,
	) {
		this.#responder = options.responder ?? greetingResponder(options.eol);
		this.#limits = options.maxBufferTotal === undefined ? options : {...options, budget: new OutputBudget(options.maxBufferTotal)};
		// Half-open sockets let us answer a tail that arrives with the peer's FIN.
		if (options.tls) {
			// Not half-open during the handshake: a client that sends its FIN before finishing it
			// is a failed handshake at once (half-open, it would wait for the handshake timeout).
			const server = createTlsServer({...options.tls, allowHalfOpen: false, handshakeTimeout: 10_000}, socket => {
				// Half-open from now on, as plain connections: a tail that comes with the FIN is answered.
				socket.allowHalfOpen = true;
				socket.setNoDelay(true);
				this.#accept(socket, {protocol: socket.getProtocol() ?? '?', cipher: socket.getCipher().name});
			});
			// A handshake that fails is a row with its reason, not a silent drop.
			server.on('connection', rememberPeer);
			server.on('tlsClientError', (error, socket) => {
				this.#handshakeFailed(socket, error);
			});
			this.#server = server;
		} else {
			this.#server = createServer({allowHalfOpen: true, noDelay: true}, socket => {
				this.#accept(socket);
			});
		}
	}

	/** Binds and listens; publishes server.listening, or server.error and rejects. */
	async listen(): Promise<Endpoint> {
		const {framing, eol, maxClients, maxLine, backlog, unixPath} = this.options;
		if (unixPath !== undefined) {
			const unix = await listenUnix(this.#server, this.bus, {path: unixPath, backlog, mode: this.options.unixMode});
			this.#removeSocketFile = unix.remove;
			// A Unix socket has no address or port: `host` names it as typed (unix:/path).
			this.#bound = {address: formatRemote({host: '', port: 0, path: unixPath}), port: 0, family: 'IPv4'};
			this.bus.publish({type: 'server.listening', host: this.#bound.address, port: 0, family: 'IPv4', backlog, loopback: true, framing, eol, maxClients, maxLine, path: unixPath, ...(unix.replacedStale ? {replacedStale: true} : {})});
			return this.#bound;
		}

		this.#bound = await listenTcp(this.#server, this.bus, this.options);
		this.bus.publish({
			type: 'server.listening',
			host: this.#bound.address,
			port: this.#bound.port,
			family: this.#bound.family,
			backlog,
			loopback: isLoopback(this.#bound.address),
			framing,
			eol,
			maxClients,
			maxLine,
		});
		return this.#bound;
	}

	/** The address we are bound to (after listen). */
	get address(): Endpoint | undefined {
		return this.#bound;
	}

	/** Connections accepted and not yet closed (those refused over the limit excluded). */
	get openCount(): number {
		return this.#active;
	}

	/** Output bytes waiting to be sent to a connection (grows while its peer does not read). */
	queuedBytes(id: number): number | undefined {
		return this.#connections.get(id)?.queuedBytes;
	}

	/**
	 * Sends a line typed by the operator to one connection, the EOL after it; false if it is not
	 * open. Bytes (the operator's escapes, already read) are sent as they are, then the EOL.
	 */
	sendTo(id: number, text: string | Uint8Array): boolean {
		const connection = this.#connections.get(id);
		if (!connection?.open) {
			return false;
		}

		connection.send(line(typeof text === 'string' ? text : Buffer.from(text), this.options.eol), 'operator');
		return true;
	}

	/** Sends a line typed by the operator to every open connection; returns how many got it. */
	broadcast(text: string | Uint8Array): number {
		const bytes = line(typeof text === 'string' ? text : Buffer.from(text), this.options.eol);
		let count = 0;
		for (const connection of this.#connections.values()) {
			if (connection.open && connection.accepted) {
				connection.send(bytes, 'operator');
				count++;
			}
		}

		return count;
	}

	/** Closes one connection at once; false if there is no such open connection. */
	kick(id: number): boolean {
		const connection = this.#connections.get(id);
		if (!connection?.open) {
			return false;
		}

		connection.destroy('kicked');
		return true;
	}

	/** Closes every connection, then the listener; resolves after the closing events. */
	async close(): Promise<void> {
		const closed = new Promise<void>(resolve => {
			if (!this.#server.listening) {
				resolve();
				return;
			}

			this.#server.close(() => {
				resolve();
			});
		});
		const drained = new Promise<void>(resolve => {
			if (this.#connections.size === 0) {
				resolve();
				return;
			}

			this.#onDrained = resolve;
		});
		for (const connection of this.#connections.values()) {
			connection.destroy('shutdown');
		}

		await Promise.all([closed, drained]);
		// --exec: the programs too (each told to stop with its connection; killed after a grace period).
		await programsExited();
		this.#removeSocketFile?.();
		if (this.#bound) {
			this.bus.publish({type: 'server.closed', host: this.#bound.address, port: this.#bound.port});
			this.#bound = undefined;
		}
	}

	readonly #chat = (from: ServerConnection, message: Buffer): void => {
		const tagged = line(Buffer.concat([Buffer.from(`[${formatHostPort(from.peer.address, from.peer.port)}] `), message]), this.options.eol);
		for (const connection of this.#connections.values()) {
			if (connection !== from && connection.open && connection.accepted) {
				connection.send(tagged, 'chat');
			}
		}
	};

	#handshakeFailed(socket: Socket, error: Error): void {
		const id = this.#nextId++;
		const peer = endpoint(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
		const local = endpoint(socket.localAddress, socket.localPort, socket.localFamily);
		const reason = tlsFailure(error);
		const known = peerOf(socket);
		this.bus.publish({type: 'conn.open', id, peer: known.address === undefined ? peer : endpoint(known.address, known.port, known.family), local});
		this.bus.publish({type: 'conn.warning', id, kind: 'tls-failed', detail: `TLS handshake failed: ${reason}`});
		this.bus.publish({type: 'conn.close', id, reason: 'tls-error', bytesIn: socket.bytesRead, bytesOut: socket.bytesWritten, messagesIn: 0, durationMs: 0});
		socket.destroy();
	}

	#accept(socket: Socket, tls?: {readonly protocol: string; readonly cipher: string}): void {
		const id = this.#nextId++;
		// A Unix socket's peer has no address (and Node gives no credentials): its number names it.
		const unix = this.options.unixPath !== undefined;
		const peer = unix ? {address: `unix#${id}`, port: 0, family: 'IPv4' as const} : endpoint(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
		const local = unix ? {address: this.#bound!.address, port: 0, family: 'IPv4' as const} : endpoint(socket.localAddress, socket.localPort, socket.localFamily);
		const denied = this.options.allow !== undefined && !this.options.allow.allows(peer.address);
		const overLimit = denied || this.#active >= this.options.maxClients;
		if (!overLimit) {
			this.#active++;
		}

		const connection = new ServerConnection(id, socket, peer, this.bus, this.#responder, this.#limits, closed => {
			this.#connections.delete(closed.id);
			if (!overLimit) {
				this.#active--;
			}

			if (this.#connections.size === 0) {
				this.#onDrained?.();
			}
		}, this.options.chat ? this.#chat : undefined, this.options.exec);
		connection.accepted = !overLimit;
		this.#connections.set(id, connection);
		this.bus.publish(tls ? {type: 'conn.open', id, peer, local, tls} : {type: 'conn.open', id, peer, local});
		if (denied) {
			this.bus.publish({type: 'conn.warning', id, kind: 'denied', detail: `${peer.address} is not in --allow ${this.options.allow!.ranges.join(', ')}`});
			connection.destroy('denied');
			return;
		}

		if (overLimit) {
			const notice = `Server full (${plural(this.options.maxClients, 'client')}), try again later.`;
			this.bus.publish({type: 'conn.warning', id, kind: 'server-full', detail: notice});
			connection.send(line(notice, this.options.eol), 'notice');
			connection.end('limit');
			return;
		}

		connection.start();
	}
}
