import {connect, createServer, type Server, type Socket} from 'node:net';
import {TLSSocket} from 'node:tls';
import type {EventBus} from '../bus.js';
import type {Endpoint, Framing, RelayCloseReason, RelaySide, Remote} from '../events.js';
import type {RewriteRule} from '../protocol/rewrite-rules.js';
import type {RelaySteer} from '../relay-steer.js';
import {formatRemote} from '../format/host-port.js';
import {parseHex} from '../protocol/hex-input.js';
import type {AllowList} from './allow-list.js';
import {endpoint, isLoopback} from './address.js';
import {explainConnectError, explainTlsError, explainUnixConnectError} from './errors.js';
import {listenTcp} from './listen.js';
import {dialThroughProxy} from './proxy.js';
import type {ProxySpec} from '../protocol/address-grammar.js';
import {messageOf, type ExplainedError} from '../errors.js';
import {resetConnection} from './reset.js';
import {peerOf, rememberPeer, tlsFailure, tlsOver, tlsSummary, type TlsClientOptions} from './tls-session.js';
import {acceptTlsClient, dialTlsUpstream, peekClientHello, type UpstreamFailure} from './tls-passthrough.js';
import {createServer as createTlsServer} from 'node:tls';
import {RelayFlow} from './relay-flow.js';

export type TcpRelayOptions = {
	readonly host: string;
	readonly port: number;
	readonly backlog: number;
	/** Where each accepted client's bytes go. */
	readonly upstream: Remote;
	readonly connectTimeoutMs: number;
	readonly maxClients: number;
	/** Close a relayed connection silent both ways this long; 0 = never. */
	readonly idleTimeoutMs: number;
	readonly allow?: AllowList;
	/**
	 * Payload bytes per connection and direction the events carry (like tcpdump's snap length);
	 * the counts stay exact. Infinity: every byte.
	 */
	readonly captureBytes: number;
	/** How a paused or rewritten direction is cut into messages. */
	readonly framing: Framing;
	readonly maxLine: number;
	readonly idleFlushMs: number;
	/** --rewrite rules, both directions (each applies to its own). */
	readonly rewrite: readonly RewriteRule[];
	/** Held bytes per direction past which the relay stops reading that side. */
	readonly maxHeldBytes: number;
	/**
	 * `tls://` upstream: speak TLS to it (SNI for a name, never for an IP, as RFC 6066 §3 says),
	 * verifying its certificate against `ca` (PEM) or the system's CAs unless `insecure`.
	 */
	readonly upstreamTls?: TlsClientOptions;
	/** relay --tls: clients speak TLS to us with this certificate and key (PEM). */
	readonly clientTls?: {readonly cert: string; readonly key: string};
	/** --proxy: reach the upstream through it (SOCKS5 or HTTP CONNECT). */
	readonly proxy?: ProxySpec;
	/** See RelayFlowOptions.payloadPerEvent (only the screen watches); default Infinity. */
	readonly payloadPerEvent?: number;
};

/** Framing and steering defaults, for callers that only relay bytes (tests, benchmarks). */
export const relayDefaults = {framing: 'line', maxLine: 64 * 1024, idleFlushMs: 150, rewrite: [], maxHeldBytes: 1024 * 1024} as const satisfies Partial<TcpRelayOptions>;

/**
 * `socket-tui relay UPSTREAM`: for each client accepted, a connection to the upstream, and the
 * bytes passed both ways unchanged and in order, with backpressure (a side that does not read
 * slows the other; nothing is buffered without bound). A half-close is passed on as a
 * half-close, a reset as a reset. Every read is an event with its exact bytes (up to
 * `captureBytes`), so the conversation can be watched and logged.
 */
export class TcpRelay {
	readonly #server: Server;
	readonly #pairs = new Set<RelayPair>();
	/** Clients waiting for their tunnel through --proxy. */
	readonly #dialing = new Set<Socket>();
	/** Pairs whose upstream is connected, by id: the ones that can be steered. */
	readonly #open = new Map<number, RelayPair>();
	#nextId = 1;
	#bound: Endpoint | undefined;

	constructor(
		private readonly bus: EventBus,
		private readonly options: TcpRelayOptions,
	) {
		if (options.clientTls && options.upstreamTls) {
			// relay tls://UP --tls: transparent for ALPN. The client's ClientHello is read first,
			// the upstream dialled with exactly its ALPN list, and the client given the upstream's
			// choice (an h2-only upstream works through the relay).
			this.#server = createServer({allowHalfOpen: true, noDelay: true, pauseOnConnect: true}, socket => {
				void this.#acceptPassingAlpn(socket, options.clientTls!, options.upstreamTls!);
			});
		} else if (options.clientTls) {
			// relay --tls: clients speak TLS to us (their plaintext is what we watch and pass on).
			// Half-open only after the handshake, as serve --tls (tcp-server.ts).
			const server = createTlsServer({...options.clientTls, allowHalfOpen: false, handshakeTimeout: 10_000}, socket => {
				socket.pause();
				socket.allowHalfOpen = true;
				socket.setNoDelay(true);
				this.#accept(socket);
			});
			server.on('connection', rememberPeer);
			server.on('tlsClientError', (error, socket) => {
				const known = peerOf(socket);
				const peer = endpoint(known.address, known.port, known.family);
				this.bus.publish({type: 'relay.close', id: this.#nextId++, reason: 'tls-error', bytesUp: 0, bytesDown: 0, durationMs: 0, client: peer, error: `the client's TLS handshake failed: ${tlsFailure(error)}`});
				socket.destroy();
			});
			this.#server = server;
		} else {
			this.#server = createServer({allowHalfOpen: true, noDelay: true, pauseOnConnect: true}, socket => {
				this.#accept(socket);
			});
		}
	}

	/** Binds and listens; publishes relay.listening, or server.error and rejects. */
	async listen(): Promise<Endpoint> {
		this.#bound = await listenTcp(this.#server, this.bus, this.options);
		const listening = {type: 'relay.listening', host: this.#bound.address, port: this.#bound.port, family: this.#bound.family, loopback: isLoopback(this.#bound.address), upstream: this.options.upstream, ...(this.options.framing === 'line' ? {} : {framing: this.options.framing})} as const;
		this.bus.publish(this.options.upstreamTls ? {...listening, transport: 'tls'} : listening);
		return this.#bound;
	}

	get address(): Endpoint | undefined {
		return this.#bound;
	}

	/**
	 * Steers one relayed connection (relay-steer.ts): pause a direction, release, drop or edit
	 * what it holds, inject bytes. False when the connection is not open or the message is gone.
	 */
	steer(id: number, command: RelaySteer): boolean {
		return this.#open.get(id)?.steer(command) ?? false;
	}

	/** Closes both sides of one relayed connection (reason `kicked`); false when it is not open. */
	kick(id: number): boolean {
		const pair = this.#open.get(id);
		pair?.destroy('kicked');
		return pair !== undefined;
	}

	/** Connections being relayed now. */
	get openCount(): number {
		return this.#pairs.size;
	}

	/** Stops listening and closes every relayed connection (reason `shutdown`), each logged closed. */
	async close(): Promise<void> {
		for (const client of this.#dialing) {
			client.destroy();
		}

		const closing = [...this.#pairs].map(async pair => pair.closed);
		for (const pair of this.#pairs) {
			pair.destroy('shutdown');
		}

		await Promise.all(closing);

		await new Promise<void>(resolve => {
			this.#server.close(() => {
				resolve();
			});
		});
		if (this.#bound) {
			this.bus.publish({type: 'server.closed', host: this.#bound.address, port: this.#bound.port});
		}
	}

	#accept(client: Socket): void {
		const id = this.#nextId++;
		const peer = endpoint(client.remoteAddress, client.remotePort, client.remoteFamily);
		client.on('error', () => undefined);
		if (!this.#admits(id, client, peer)) {
			return;
		}

		const {proxy, upstream} = this.options;
		if (proxy && upstream.path === undefined) {
			void this.#acceptThroughProxy(id, client, peer, proxy);
			return;
		}

		this.#pair(id, client, peer);
	}

	/** --allow and --max-clients: false (the client closed, the close published) when it is not served. */
	#admits(id: number, client: Socket, peer: Endpoint): boolean {
		if ((this.options.allow && !this.options.allow.allows(peer.address)) || this.#pairs.size + this.#dialing.size >= this.options.maxClients) {
			const reason = this.#pairs.size + this.#dialing.size >= this.options.maxClients ? 'limit' : 'denied';
			this.bus.publish({type: 'relay.close', id, reason, bytesUp: 0, bytesDown: 0, durationMs: 0, client: peer});
			client.destroy();
			return false;
		}

		return true;
	}

	/** relay tls://UP --tls: the client's offer read, the upstream dialled with it, then the client's handshake. */
	async #acceptPassingAlpn(raw: Socket, certificate: {readonly cert: string; readonly key: string}, upstreamTls: TlsClientOptions): Promise<void> {
		const id = this.#nextId++;
		const peer = endpoint(raw.remoteAddress, raw.remotePort, raw.remoteFamily);
		raw.on('error', () => undefined);
		raw.setNoDelay(true);
		if (!this.#admits(id, raw, peer)) {
			return;
		}

		const started = performance.now();
		const closed = (reason: RelayCloseReason, error: string): void => {
			this.#dialing.delete(raw);
			this.bus.publish({type: 'relay.close', id, reason, bytesUp: 0, bytesDown: 0, durationMs: Math.round(performance.now() - started), client: peer, error});
			resetConnection(raw);
		};

		this.#dialing.add(raw);
		let hello;
		try {
			hello = await peekClientHello(raw, 10_000);
		} catch (error) {
			closed('tls-error', `the client's TLS handshake failed: ${messageOf(error)}`);
			return;
		}

		let upstream;
		try {
			upstream = await dialTlsUpstream(this.options.upstream, upstreamTls, hello.alpn, this.options.connectTimeoutMs, this.options.proxy);
		} catch (error) {
			const failure = error as UpstreamFailure;
			closed(failure.reason, failure.error);
			return;
		}

		if (raw.destroyed) {
			this.#dialing.delete(raw);
			upstream.socket.destroy();
			return;
		}

		let client: TLSSocket;
		try {
			client = await acceptTlsClient(raw, certificate, typeof upstream.socket.alpnProtocol === 'string' ? upstream.socket.alpnProtocol : undefined, 10_000);
		} catch (error) {
			upstream.socket.destroy();
			closed('tls-error', messageOf(error));
			return;
		}

		this.#dialing.delete(raw);
		client.pause();
		client.allowHalfOpen = true;
		this.#pair(id, client, peer, {socket: upstream.socket, dialMs: upstream.tcpMs, handshakeMs: upstream.handshakeMs});
	}

	#pair(id: number, client: Socket, peer: Endpoint, tunnel?: Tunnel): void {
		const pair = new RelayPair(id, client, peer, this.bus, this.options, () => {
			this.#pairs.delete(pair);
			this.#open.delete(id);
		}, tunnel);
		this.#open.set(id, pair);
		this.#pairs.add(pair);
	}

	/** --proxy: the tunnel first (the client waits, paused); a failure closes the client with the step that failed. */
	async #acceptThroughProxy(id: number, client: Socket, peer: Endpoint, proxy: ProxySpec): Promise<void> {
		const started = performance.now();
		this.#dialing.add(client);
		try {
			const socket = await dialThroughProxy(proxy, this.options.upstream.host, this.options.upstream.port, this.options.connectTimeoutMs);
			this.#dialing.delete(client);
			if (client.destroyed) {
				socket.destroy();
				return;
			}

			this.#pair(id, client, peer, {socket, dialMs: elapsedMs(started)});
		} catch (error) {
			this.#dialing.delete(client);
			const code = (error as ExplainedError).explained?.code;
			this.bus.publish({type: 'relay.close', id, reason: code === 'proxy-refused' ? 'refused' : 'upstream-error', bytesUp: 0, bytesDown: 0, durationMs: Math.round(performance.now() - started), client: peer, error: messageOf(error)});
			resetConnection(client);
		}
	}
}

/**
 * An upstream connection made before the pair: through --proxy (`dialMs` since the client came),
 * or, for ALPN passthrough, a TLS connection already secure (`handshakeMs` set).
 */
type Tunnel = {readonly socket: Socket; readonly dialMs: number; readonly handshakeMs?: number};

function elapsedMs(since: number): number {
	return Math.round((performance.now() - since) * 100) / 100;
}

/** One client and its upstream connection. */
class RelayPair {
	readonly #opened = Date.now();
	readonly #upstream: Socket;
	#up: RelayFlow | undefined;
	#down: RelayFlow | undefined;
	#seq = 0;
	#reason: RelayCloseReason | undefined;
	#error: string | undefined;
	#connected = false;
	#closed = 0;
	#onBothClosed: () => void = () => undefined;
	/** Resolves once both sides are closed and relay.close is published. */
	readonly closed = new Promise<void>(resolve => {
		this.#onBothClosed = resolve;
	});
	#lastActivity = Date.now();

	constructor(
		readonly id: number,
		private readonly client: Socket,
		private readonly peer: Endpoint,
		private readonly bus: EventBus,
		private readonly options: TcpRelayOptions,
		private readonly onClosed: () => void,
		/** The upstream, already dialled: see Tunnel. */
		tunnel?: Tunnel,
	) {
		const {upstream, upstreamTls} = options;
		const started = performance.now() - (tunnel?.dialMs ?? 0) - (tunnel?.handshakeMs ?? 0);
		let tcpMs: number | undefined = tunnel?.dialMs;
		const tcp = tunnel?.socket ?? (upstream.path === undefined
			? connect({host: upstream.host, port: upstream.port, allowHalfOpen: true, noDelay: true, timeout: options.connectTimeoutMs})
			: connect({path: upstream.path, allowHalfOpen: true, timeout: options.connectTimeoutMs}));
		if (tunnel) {
			tcp.allowHalfOpen = true;
		} else {
			tcp.once('connect', () => {
				tcpMs = elapsedMs(started);
			});
		}
		// TLS over our own TCP socket: it keeps allowHalfOpen (a client's half-close passes through TLS too).
		const secure = tunnel?.handshakeMs !== undefined;
		this.#upstream = upstreamTls && !secure
			? tlsOver(tcp, upstream.host, upstreamTls)
			: tcp;
		const socket = this.#upstream;
		if (socket !== tcp) {
			// The connect timeout runs on the TCP socket until the handshake is done.
			tcp.on('timeout', () => {
				socket.emit('timeout');
			});
		}

		const ready = (): void => {
			if (socket !== tcp) {
				tcp.setTimeout(0);
			}

			// Idle means silent both ways: each side's timer checks the pair's last activity.
			socket.setTimeout(options.idleTimeoutMs);
			client.setTimeout(options.idleTimeoutMs);
			client.on('timeout', this.#onIdle);
			this.#connected = true;
			const local = endpoint(client.localAddress, client.localPort, client.localFamily);
			const upstreamPeer = endpoint(socket.remoteAddress, socket.remotePort, socket.remoteFamily);
			const open = {type: 'relay.open', id, client: peer, local, upstream, upstreamPeer, connectMs: tcpMs ?? elapsedMs(started)} as const;
			this.bus.publish(socket instanceof TLSSocket ? {...open, tls: tlsSummary(socket, elapsedMs(started) - (tcpMs ?? 0))} : open);
			const flow = (from: Socket, to: Socket, side: RelaySide): RelayFlow => new RelayFlow(from, to, bus, {
				id,
				from: side,
				peer,
				framing: options.framing,
				maxLine: options.maxLine,
				idleFlushMs: options.idleFlushMs,
				rules: options.rewrite.filter(rule => rule.direction === (side === 'client' ? 'up' : 'down')),
				maxHeldBytes: options.maxHeldBytes,
				captureBytes: options.captureBytes,
				payloadPerEvent: options.payloadPerEvent ?? Number.POSITIVE_INFINITY,
				nextSeq: () => ++this.#seq,
				onActivity: () => {
					this.#lastActivity = Date.now();
				},
			});
			this.#up = flow(client, socket, 'client');
			this.#down = flow(socket, client, 'upstream');
			this.#up.start();
			this.#down.start();
			client.resume();
			tcp.resume(); // A tunnel is handed over paused.
		};

		if (tunnel && (!upstreamTls || secure)) {
			// The tunnel is up (and its TLS, when dialled so): its 'connect' is behind us.
			process.nextTick(ready);
		} else {
			socket.once(upstreamTls ? 'secureConnect' : 'connect', ready);
		}
		socket.on('timeout', () => {
			if (this.#connected) {
				this.#onIdle();
				return;
			}

			this.#reason = 'timeout';
			this.#error = `${formatRemote(upstream)} did not answer within ${options.connectTimeoutMs} ms`;
			socket.destroy();
		});
		socket.on('error', (error: NodeJS.ErrnoException) => {
			if (!this.#connected) {
				const code = error.code ?? '';
				const tls = upstreamTls ? explainTlsError(error, upstream.host, upstream.port) : undefined;
				this.#reason ??= tls ? 'tls-error' : (code === 'ECONNREFUSED' || (upstream.path !== undefined && code === 'ENOENT') ? 'refused' : (code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'unresolved' : 'upstream-error'));
				this.#error = tls ? `${tls.message} (${tls.hint})` : (upstream.path === undefined ? explainConnectError(error, upstream.host, upstream.port) : explainUnixConnectError(error, formatRemote(upstream))).message;
				return;
			}

			this.#onError('upstream', error);
		});
		client.on('error', (error: NodeJS.ErrnoException) => {
			this.#onError('client', error);
		});
		client.once('close', () => {
			this.#sideClosed();
		});
		socket.once('close', () => {
			if (!this.#connected) {
				// The upstream could not be reached (refused, unresolved, timed out, its TLS failed):
				// the client is reset at once, so it can tell "upstream down" from "upstream closed"
				// (a FIN), whatever it has sent so far.
				resetConnection(client);
			}

			this.#sideClosed();
		});
	}

	steer(command: RelaySteer): boolean {
		const up = this.#up;
		const down = this.#down;
		if (!up || !down) {
			return false;
		}

		switch (command.kind) {
			case 'pause': {
				const flow = command.direction === 'up' ? up : down;
				flow.setPaused(command.paused === 'toggle' ? !flow.paused : command.paused);
				return true;
			}

			case 'release': {
				if (command.all) {
					// Oldest first across both directions.
					let released = false;
					while (this.#withHeld(command.seq)?.release(command.seq)) {
						released = true;
					}

					return released;
				}

				return this.#withHeld(command.seq)?.release(command.seq) ?? false;
			}

			case 'drop': {
				return this.#withHeld(command.seq)?.drop(command.seq) ?? false;
			}

			case 'edit': {
				const body = command.hex === undefined ? Buffer.from(command.text ?? '', 'utf8') : parseHex(command.hex);
				return this.#withHeld(command.seq)?.edit(command.seq, body) ?? false;
			}

			case 'inject': {
				const bytes = command.base64 === undefined ? Buffer.from(command.text ?? '', 'utf8') : Buffer.from(command.base64, 'base64');
				return (command.direction === 'up' ? up : down).inject(bytes);
			}
		}
	}

	/** The flow holding message `seq`, or (without one) the flow whose oldest held message is oldest. */
	#withHeld(seq: number | undefined): RelayFlow | undefined {
		const flows = [this.#up!, this.#down!];
		if (seq !== undefined) {
			return flows.find(flow => flow.held.some(message => message.seq === seq));
		}

		const [first, second] = flows.map(flow => flow.held[0]?.seq ?? Number.POSITIVE_INFINITY) as [number, number];
		return first === Number.POSITIVE_INFINITY && second === Number.POSITIVE_INFINITY ? undefined : (first < second ? flows[0] : flows[1]);
	}

	/** A reset on one side is passed on as a reset to the other. */
	#onError(side: RelaySide, error: NodeJS.ErrnoException): void {
		const code = error.code ?? '';
		const reset = code === 'ECONNRESET' || code === 'EPIPE';
		this.#reason ??= reset ? (side === 'client' ? 'client-reset' : 'upstream-reset') : 'error';
		this.#error ??= `${side}: ${code || error.message}`;
		const other = side === 'client' ? this.#upstream : this.client;
		if (reset && this.#connected) {
			resetConnection(other);
		} else {
			other.destroy();
		}
	}

	readonly #onIdle = (): void => {
		if (Date.now() - this.#lastActivity >= this.options.idleTimeoutMs) {
			this.destroy('idle');
		}
	};

	destroy(reason: RelayCloseReason): void {
		this.#reason ??= reason;
		this.client.destroy();
		this.#upstream.destroy();
	}

	#sideClosed(): void {
		this.#closed++;
		if (this.#closed < 2) {
			return;
		}

		const event = {
			type: 'relay.close',
			id: this.id,
			client: this.peer,
			reason: this.#reason ?? 'closed',
			bytesUp: this.#up?.bytesRead ?? 0,
			bytesDown: this.#down?.bytesRead ?? 0,
			durationMs: Date.now() - this.#opened,
		} as const;
		this.#up?.dispose();
		this.#down?.dispose();
		this.bus.publish(this.#error === undefined ? event : {...event, error: this.#error});
		this.onClosed();
		this.#onBothClosed();
	}
}
