import {EventBus} from './bus.js';
import type {Config} from './config.js';
import type {Eol, Remote} from './events.js';
import {makeResponder} from './protocol/responder.js';
import {mockResponder} from './protocol/mock-responder.js';
import {TcpClient} from './net/tcp-client.js';
import {isLoopback} from './net/address.js';
import {certificateFacts, selfSignedCertificate} from './net/self-signed.js';
import {TcpRelay} from './net/tcp-relay.js';
import {UdpRelay, udpPairIdleMs} from './net/udp-relay.js';
import {TcpServer} from './net/tcp-server.js';
import {UdpEndpoint} from './net/udp-endpoint.js';

/** What runs in one process: any of server, UDP endpoint and client, on one bus. */
export type Engine = {
	readonly bus: EventBus;
	readonly config: Config;
	readonly server: TcpServer | undefined;
	readonly udp: UdpEndpoint | undefined;
	readonly client: TcpClient | undefined;
	/** `relay UPSTREAM`: the listener that passes each client on to the upstream. */
	readonly relay: TcpRelay | UdpRelay | undefined;
	/** Closes every socket and publishes the closing events. Safe to call twice. */
	readonly stop: () => Promise<void>;
	/** Dials the client's first connection, when `connectLater` held it back. */
	readonly startClient: () => void;
};

export type EngineParts = {
	/** Run the TCP server (and the UDP endpoint unless config.udp is false). */
	readonly serve: boolean;
	/** Create the interactive client and, if given, connect it to this remote. */
	readonly connect?: Remote | 'own-server';
	/**
	 * Dial only when startClient() is called: the screen first draws, so that the connect time
	 * is measured on a quiet machine, not while the screen's code is loading.
	 */
	readonly connectLater?: boolean;
	/** Only the screen watches (no log): events may carry the last bytes of a long read only. */
	readonly screenOnly?: boolean;
	/** Relay each client accepted (on --host/--port) to this upstream, instead of serving it. */
	readonly relay?: Remote & {readonly transport: 'tcp' | 'udp' | 'tls' | 'unix'};
};

/** What a relayed read shows on the screen at most: its last 2 KB (more than a screenful of lines). */
const screenPayloadPerEvent = 2048;

/**
 * Starts the engines: binds TCP first, then UDP on the same port number (so `--port 0` gives
 * both the same free port), then dials the client. Rejects with an ExplainedError when a bind
 * fails, after stopping whatever had started.
 */
export async function startEngine(config: Config, parts: EngineParts, bus = new EventBus()): Promise<Engine> {
	let server: TcpServer | undefined;
	let udp: UdpEndpoint | undefined;
	let client: TcpClient | undefined;
	let relay: TcpRelay | UdpRelay | undefined;
	let stopping: Promise<void> | undefined;

	const stop = async (): Promise<void> => {
		stopping ??= (async () => {
			client?.disconnect();
			await Promise.all([server?.close(), udp?.close(), relay?.close()]);
		})();
		return stopping;
	};

	try {
		if (parts.serve) {
			const {eol, greeting, chat, replyRules: rules} = config;
			const tls = config.tlsServer === 'generate' ? await selfSignedCertificate() : config.tlsServer;
			// With --exec the program answers: the tutorial's protocol and the rules stay silent.
			const responder = config.mock ? mockResponder(config.mock) : (config.exec ? makeResponder({eol, greeting: false, chat: false, rules: []}) : makeResponder({eol, greeting, chat, rules}));
			server = new TcpServer(bus, {...config, tls, responder});
			const bound = await server.listen();
			if (config.exec) {
				bus.publish({type: 'server.exec', command: config.exec.command, shell: config.exec.shell, loopback: config.unixPath !== undefined || isLoopback(bound.address)});
			}

			if (tls) {
				bus.publish({type: 'server.tls', ...certificateFacts(tls.cert), generated: config.tlsServer === 'generate'});
			}

			if (config.udp) {
				const echoTerminator = config.udpEol === 'datagram';
				const responder = makeResponder({eol: echoTerminator ? 'none' : config.udpEol as Eol, greeting: config.greeting, chat: false, rules: config.replyRules});
				udp = new UdpEndpoint(bus, {host: config.host, port: config.udpPort ?? bound.port, responder, echoTerminator, allow: config.allow});
				await udp.bind();
			}
		}

		if (parts.relay) {
			const clientTls = parts.relay.transport !== 'udp' && config.tlsServer ? (config.tlsServer === 'generate' ? await selfSignedCertificate() : config.tlsServer) : undefined;
			const upstream = parts.relay.path === undefined ? {host: parts.relay.host, port: parts.relay.port} : {host: parts.relay.host, port: 0, path: parts.relay.path};
			relay = parts.relay.transport === 'udp'
				// A UDP pair has no close of its own: it is forgotten after a quiet while (60 s by default).
				? new UdpRelay(bus, {...config, upstream, rewrite: config.rewriteRules, idleTimeoutMs: config.idleTimeoutMs || udpPairIdleMs})
				: new TcpRelay(bus, {
					...config,
					...(clientTls ? {clientTls} : {}),
					upstream,
					rewrite: config.rewriteRules,
					payloadPerEvent: parts.screenOnly && config.log === undefined ? screenPayloadPerEvent : Number.POSITIVE_INFINITY,
					...(parts.relay.transport === 'tls' ? {upstreamTls: {insecure: config.insecure, ca: config.ca, servername: config.tlsClient.servername}} : {}),
				});
			await relay.listen();
			if (clientTls) {
				bus.publish({type: 'server.tls', ...certificateFacts(clientTls.cert), generated: config.tlsServer === 'generate'});
			}
		}
	} catch (error) {
		await stop();
		throw error;
	}

	let startClient = (): void => undefined;
	if (parts.connect) {
		const dialer = new TcpClient(bus, config);
		client = dialer;
		const remote = parts.connect === 'own-server' ? ownServerRemote(config, server) : parts.connect;
		let dialed = false;
		startClient = () => {
			if (!dialed) {
				dialed = true;
				// The outcome (connected, refused…) is an event; the engine runs either way.
				void dialer.connect(remote);
			}
		};

		if (!parts.connectLater) {
			startClient();
		}
	}

	return {bus, config, server, udp, client, relay, stop, startClient};
}

function ownServerRemote(config: Config, server: TcpServer | undefined): Remote {
	if (config.unixPath !== undefined) {
		return {host: 'localhost', port: 0, path: config.unixPath};
	}

	const bound = server?.address;
	const host = bound ? wildcardToLoopback(bound.address) : config.host;
	return {host, port: bound?.port ?? config.port};
}

/** A wildcard bind is reached through loopback. */
function wildcardToLoopback(address: string): string {
	if (address === '0.0.0.0') {
		return '127.0.0.1';
	}

	return address === '::' ? '::1' : address;
}
