import {isIP, type Socket} from 'node:net';
import {connect as connectTls, type TLSSocket} from 'node:tls';
import type {TlsSummary} from '../events.js';

/** How to check the peer of a TLS client connection. */
export type TlsClientOptions = {
	/** Accept a certificate that does not verify (--insecure). */
	readonly insecure: boolean;
	/** CAs to verify against (PEM), instead of the system's (--ca FILE). */
	readonly ca?: string;
};

/**
 * A TLS client over a TCP socket of our own (so it keeps that socket's options: allowHalfOpen,
 * noDelay, the connect timeout). SNI is sent for a name, never for an IP address (RFC 6066 §3).
 */
export function tlsOver(tcp: Socket, host: string, {insecure, ca}: TlsClientOptions): TLSSocket {
	return connectTls({socket: tcp, servername: isIP(host) === 0 ? host : undefined, rejectUnauthorized: !insecure, ca});
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
		return 'the client reset the connection (it may not trust our certificate)';
	}

	const reason = /:SSL routines:[^:]*:([^:\n]+)/.exec(error.message)?.[1] ?? (error.message.split('\n')[0] ?? error.message);
	return /wrong version number|http request|unknown protocol|packet length too long/i.test(reason) ? `${reason} (the client did not speak TLS: plain text on a TLS port?)` : reason;
}
