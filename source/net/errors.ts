import {formatHostPort} from '../format/host-port.js';
import {messageOf, type Explained} from '../errors.js';

export {ExplainedError, messageOf, type Explained} from '../errors.js';

function codeOf(error: unknown): string {
	return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
		? error.code
		: 'EUNKNOWN';
}

/**
 * Why a bind failed (TCP listen or UDP bind). `timeWaitOnly`: the kernel's tables show no server
 * on the port, only closed connections waiting out TIME-WAIT (RFC 9293 §3.6.1: 2 × MSL).
 */
export function explainBindError(error: unknown, host: string, port: number, proto: 'TCP' | 'UDP', timeWaitOnly = false): Explained {
	const code = codeOf(error);
	const where = `${proto} ${formatHostPort(host, port)}`;
	switch (code) {
		case 'EADDRINUSE': {
			if (timeWaitOnly) {
				return {code, message: `TCP port ${port} is held by closed connections in TIME-WAIT, not by a server (${where})`, hint: 'the kernel frees it within 60 s; or try --port 0 for any free port'};
			}

			// UDP is bound after TCP: when only UDP is taken, --port would not help.
			return {code, message: `${proto} port ${port} is already in use (${where})`, hint: proto === 'UDP' ? 'choose another UDP port with --udp-port N (0 = any free port), or run without UDP: --no-udp' : 'try --port 0 for any free port, or another --port'};
		}

		case 'EACCES':
		case 'EPERM': {
			return {
				code,
				message: `permission denied binding ${where}`,
				hint: port < 1024 ? 'ports below 1024 need root; try --port 9999 or --port 0' : 'this port is not allowed here; try another --port',
			};
		}

		case 'EADDRNOTAVAIL': {
			return {code, message: `${host} is not an address of this machine (${where})`, hint: 'try --host 127.0.0.1, --host ::1 or --host 0.0.0.0'};
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return {code, message: `cannot resolve host "${host}"`, hint: 'check the name, or use an IP address such as 127.0.0.1'};
		}

		case 'EAFNOSUPPORT': {
			return {code, message: `this machine cannot bind ${where} (address family not supported)`, hint: 'try --host 127.0.0.1'};
		}

		default: {
			return {code, message: `cannot bind ${where}: ${messageOf(error)}`, hint: 'try another --host or --port'};
		}
	}
}

/** Why a connection or datagram to a remote failed, in the words of the client state. */
export function explainConnectError(error: unknown, host: string, port: number): Explained {
	const code = codeOf(error);
	const where = formatHostPort(host, port);
	switch (code) {
		case 'ECONNREFUSED': {
			return {code, message: `connection refused by ${where}`, hint: 'nothing is listening there; start a server or check the port'};
		}

		case 'ECONNRESET':
		case 'EPIPE': {
			return {code, message: `connection to ${where} was reset by the peer`, hint: 'the peer dropped the connection; /connect to try again'};
		}

		case 'ETIMEDOUT': {
			return {code, message: `connecting to ${where} timed out`, hint: 'the host did not answer; check the address and any firewall'};
		}

		case 'ENOTFOUND':
		case 'EAI_AGAIN': {
			return {code, message: `cannot resolve host "${host}"`, hint: 'check the name, or use an IP address'};
		}

		case 'EHOSTUNREACH':
		case 'ENETUNREACH': {
			return {code, message: `${where} is unreachable`, hint: 'check the address and your network'};
		}

		default: {
			return {code, message: `${where}: ${messageOf(error)}`, hint: 'check the address and try again'};
		}
	}
}

/**
 * Why a datagram to a remote failed, in UDP's words: there is no connection to refuse, but a
 * closed port answers ICMP port unreachable, which a connected UDP socket reads as ECONNREFUSED
 * (RFC 1122 §4.1.3.3). Anything else is told as explainConnectError tells it.
 */
export function explainDatagramError(error: unknown, host: string, port: number): Explained {
	const code = codeOf(error);
	if (code === 'ECONNREFUSED') {
		return {code, message: `nothing is listening on UDP ${formatHostPort(host, port)}`, hint: 'it answered "port unreachable" (ICMP): start a UDP server there, or check the port'};
	}

	return explainConnectError(error, host, port);
}

/**
 * A TLS failure as one line with what to do, or undefined when the error is not about TLS: a
 * certificate that does not verify (self-signed, wrong name, expired…), or a peer that does not
 * speak TLS at all (a plain-text port).
 */
export function explainTlsError(error: unknown, host: string, port: number): (Explained & {readonly kind: TlsFailureKind}) | undefined {
	const code = codeOf(error);
	const where = formatHostPort(host, port);
	// Node 24 adds advice about its own command line, which a user of ours cannot act on.
	const message = messageOf(error).replace(/; if the root CA is installed locally, try running Node\.js with --use-system-ca$/, '');
	if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|unknown protocol/i.test(message)) {
		return {kind: 'not-tls', code, message: `${where}: the server did not answer TLS — is it a plain-text port?`, hint: 'drop tls:// (or https://) for a plain port'};
	}

	if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
		return {kind: 'name', code, message: `TLS with ${where} failed: ${message}`, hint: 'the certificate names other hosts: connect by one of its names, or add --insecure'};
	}

	if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) {
		return {kind: 'certificate', code, message: `TLS with ${where} failed: ${message}`, hint: 'give its certificate (or its CA\'s) with --ca FILE, or add --insecure for a test server'};
	}

	return undefined;
}

/** What went wrong in a TLS handshake as a client: the peer is not TLS, or names other hosts, or its certificate does not verify. */
export type TlsFailureKind = 'not-tls' | 'name' | 'certificate';

/** A failed connect to a Unix socket, in a person's words (the path as typed: unix:/path, unix:@name). */
export function explainUnixConnectError(error: unknown, where: string): Explained {
	const code = codeOf(error);
	switch (code) {
		case 'ENOENT': {
			return {code, message: `no socket at ${where}`, hint: 'is the server running? check the path'};
		}

		case 'ECONNREFUSED': {
			return {code, message: `nothing listens on ${where}`, hint: 'a stale socket file of a server that is gone, or not a socket at all'};
		}

		case 'EACCES': {
			return {code, message: `not allowed to connect to ${where}`, hint: 'the socket file\'s permissions do not let you in'};
		}

		default: {
			return {code, message: `${where}: ${messageOf(error)}`, hint: 'check the path'};
		}
	}
}
