import {isIP, type Socket} from 'node:net';
import {connect as connectTls, type TLSSocket} from 'node:tls';
import type {TlsSummary} from '../events.js';

/** How to check the peer of a TLS client connection. */
export type TlsClientOptions = {
	/** Accept a certificate that does not verify (--insecure). */
	readonly insecure: boolean;
	/** CAs to verify against (PEM), instead of the system's (--ca FILE). */
	readonly ca?: string;
	/** --servername: the name for SNI and the certificate check, instead of the host dialled. */
	readonly servername?: string;
	/** A client certificate and its private key (PEM; --cert/--key), for a server that asks for one. */
	readonly cert?: string;
	readonly key?: string;
};

/**
 * A TLS client over a TCP socket of our own (so it keeps that socket's options: allowHalfOpen,
 * noDelay, the connect timeout). SNI is sent for a name, never for an IP address (RFC 6066 §3).
 */
export function tlsOver(tcp: Socket, host: string, options: TlsClientOptions, alpn?: readonly string[]): TLSSocket {
	return connectTls({socket: tcp, ...tlsConnectOptions(host, options), ...(alpn === undefined ? {} : {ALPNProtocols: [...alpn]})});
}

/**
 * Node's TLS client options for a peer named `host`: what the certificate is checked against (an
 * IP against its IP SANs; without `host` Node would check "localhost"), SNI for a name only
 * (RFC 6066 §3), and --insecure, --ca, --cert/--key.
 */
export function tlsConnectOptions(host: string, {insecure, ca, cert, key, servername}: TlsClientOptions): {host: string; servername?: string; rejectUnauthorized: boolean; ca?: string; cert?: string; key?: string} {
	// Node checks the certificate against `servername` when it is given, else `host`.
	const name = servername ?? (isIP(host) === 0 ? host : undefined);
	return {host, ...(name === undefined ? {} : {servername: name}), rejectUnauthorized: !insecure, ...(ca === undefined ? {} : {ca}), ...(cert === undefined || key === undefined ? {} : {cert, key})};
}

/** What a learner wants to see of a TLS session: version, cipher, ALPN, the peer certificate. */
export function tlsSummary(socket: TLSSocket, handshakeMs: number): TlsSummary {
	const cert = socket.getPeerCertificate();
	const name = (fields: Record<string, string | string[]> | undefined): string => Object.entries(fields ?? {}).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`).join(', ');
	const summary: TlsSummary = {
		protocol: socket.getProtocol() ?? '?',
		cipher: socket.getCipher().name,
		handshakeMs: Math.round(handshakeMs * 100) / 100,
		authorized: socket.authorized,
		...(typeof socket.alpnProtocol === 'string' ? {alpn: socket.alpnProtocol} : {}),
	};
	return cert && Object.keys(cert).length > 0
		? {...summary, subject: name(cert.subject as unknown as Record<string, string>), issuer: name(cert.issuer as unknown as Record<string, string>), validFrom: cert.valid_from, validTo: cert.valid_to, fingerprint256: cert.fingerprint256}
		: summary;
}


/** Why a client's TLS handshake failed, in a few words (OpenSSL's reason, without its codes). */
export function tlsFailure(error: Error): string {
	const code = (error as NodeJS.ErrnoException).code ?? '';
	if (code === 'ECONNRESET') {
		return 'the client closed before the handshake was done (a plain TCP client, a port check, or one that does not trust our certificate)';
	}

	const reason = /:SSL routines:[^:]*:([^:\n]+)/.exec(error.message)?.[1] ?? (error.message.split('\n')[0] ?? error.message);
	return /wrong version number|http request|unknown protocol|packet length too long/i.test(reason) ? `${reason} (the client did not speak TLS: plain text on a TLS port?)` : reason;
}

/**
 * The peer of a server-side TLS socket, read at accept (a failed handshake's socket may have
 * lost its address by the time it is reported).
 */
const peers = new WeakMap<object, {address?: string; port?: number; family?: string}>();

/** Remembers each raw connection's peer (call from the TLS server's 'connection' event). */
export function rememberPeer(raw: Socket): void {
	peers.set(raw, {address: raw.remoteAddress, port: raw.remotePort, family: raw.remoteFamily});
}

/** The peer remembered for a TLS socket's raw connection (Node keeps it as `_parent`), else its own. */
export function peerOf(socket: Socket): {address?: string; port?: number; family?: string} {
	const parent = (socket as unknown as {_parent?: object})._parent;
	return (parent && peers.get(parent)) ?? {address: socket.remoteAddress, port: socket.remotePort, family: socket.remoteFamily};
}
