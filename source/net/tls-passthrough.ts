import {connect, type Socket} from 'node:net';
import {TLSSocket} from 'node:tls';
import type {Remote} from '../events.js';
import {formatRemote} from '../format/host-port.js';
import {scanClientHello, type ClientHello} from '../protocol/tls-client-hello.js';
import type {ProxySpec} from '../protocol/address-grammar.js';
import {explainConnectError, explainTlsError} from './errors.js';
import {dialThroughProxy} from './proxy.js';
import {tlsFailure, tlsOver, type TlsClientOptions} from './tls-session.js';

/** The most a ClientHello may take before it is refused (real ones are under 2 KB; with post-quantum key shares ~1.6 KB). */
const maxHelloBytes = 16 * 1024;

/**
 * Reads a client's ClientHello off its raw TCP socket (paused, as accepted) and puts the bytes
 * back, so the TLS handshake that follows sees them all. Resolves with what it offers; `{}` when
 * the bytes are not a ClientHello (the handshake then fails with the usual reason). Rejects when
 * the client goes away or sends nothing whole within `timeoutMs`.
 */
export async function peekClientHello(raw: Socket, timeoutMs: number): Promise<ClientHello> {
	return new Promise((resolve, reject) => {
		let received = Buffer.alloc(0);
		const timer = setTimeout(() => {
			finish(new Error(`no TLS ClientHello within ${timeoutMs} ms`));
		}, timeoutMs);
		const finish = (error?: Error, hello: ClientHello = {}): void => {
			clearTimeout(timer);
			raw.off('data', onData);
			raw.off('close', onClose);
			raw.pause();
			if (error) {
				reject(error);
				return;
			}

			raw.unshift(received);
			resolve(hello);
		};

		const onData = (chunk: Buffer): void => {
			received = Buffer.concat([received, chunk]);
			const scan = scanClientHello(received);
			if (scan.kind === 'hello') {
				finish(undefined, scan.hello);
			} else if (scan.kind === 'not-hello' || received.length > maxHelloBytes) {
				finish();
			}
		};

		const onClose = (): void => {
			finish(new Error('the client closed before its TLS handshake'));
		};

		raw.on('data', onData);
		raw.once('close', onClose);
		raw.resume();
	});
}

/** Why the upstream could not be reached, as relay.close says it. */
export type UpstreamFailure = {readonly reason: 'refused' | 'unresolved' | 'timeout' | 'tls-error' | 'upstream-error'; readonly error: string};

/**
 * Dials a `tls://` upstream offering exactly the client's ALPN list (RFC 7301: the relay is
 * transparent), through `proxy` when given. Resolves with the secure socket and its times (ms);
 * rejects with an UpstreamFailure.
 */
export async function dialTlsUpstream(upstream: Remote, tls: TlsClientOptions, alpn: readonly string[] | undefined, timeoutMs: number, proxy?: ProxySpec): Promise<{readonly socket: TLSSocket; readonly tcpMs: number; readonly handshakeMs: number}> {
	const started = performance.now();
	let tcp: Socket;
	try {
		tcp = proxy ? await dialThroughProxy(proxy, upstream.host, upstream.port, timeoutMs) : connect({host: upstream.host, port: upstream.port, allowHalfOpen: true, noDelay: true});
	} catch (error) {
		throw {reason: 'upstream-error', error: (error as Error).message} satisfies UpstreamFailure;
	}

	tcp.allowHalfOpen = true;
	let tcpMs = proxy ? performance.now() - started : 0;
	tcp.once('connect', () => {
		tcpMs = performance.now() - started;
	});
	const socket = tlsOver(tcp, upstream.host, tls, alpn);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			socket.destroy();
			reject({reason: 'timeout', error: `${formatRemote(upstream)} did not answer within ${timeoutMs} ms`} satisfies UpstreamFailure);
		}, timeoutMs);
		socket.once('secureConnect', () => {
			clearTimeout(timer);
			socket.removeAllListeners('error');
			resolve({socket, tcpMs: round(tcpMs), handshakeMs: round(performance.now() - started - tcpMs)});
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			clearTimeout(timer);
			socket.destroy();
			const explained = explainTlsError(error, upstream.host, upstream.port);
			const code = error.code ?? '';
			reject((explained
				? {reason: 'tls-error', error: `${explained.message} (${explained.hint})`}
				: {reason: code === 'ECONNREFUSED' ? 'refused' : (code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'unresolved' : 'upstream-error'), error: explainConnectError(error, upstream.host, upstream.port).message}) satisfies UpstreamFailure);
		});
	});
}

/**
 * The client's side of the handshake, on its raw socket (the ClientHello put back by
 * peekClientHello), choosing `alpn` (the upstream's choice) when given. Resolves once secure;
 * rejects with the client's failure in a few words.
 */
export async function acceptTlsClient(raw: Socket, certificate: {readonly cert: string; readonly key: string}, alpn: string | undefined, timeoutMs: number): Promise<TLSSocket> {
	const client = new TLSSocket(raw, {isServer: true, ...certificate, ...(alpn === undefined ? {} : {ALPNProtocols: [alpn]})});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(new Error(`the client's TLS handshake did not finish within ${timeoutMs} ms`));
		}, timeoutMs);
		client.once('secure', () => {
			clearTimeout(timer);
			client.removeAllListeners('error');
			resolve(client);
		});
		client.once('error', error => {
			clearTimeout(timer);
			reject(new Error(`the client's TLS handshake failed: ${tlsFailure(error)}`));
		});
	});
}

function round(ms: number): number {
	return Math.round(ms * 100) / 100;
}
