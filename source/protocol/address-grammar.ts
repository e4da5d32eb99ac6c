import {isIP} from 'node:net';
import {UsageError} from '../errors.js';
import type {Remote} from '../events.js';

/**
 * The address grammar of every target (README, "Addresses"): `HOST:PORT`, `[v6]:PORT`,
 * `tcp://`, `udp://`; other schemes and socat's address types are refused by name. Pure text:
 * resolving and dialing are net/'s.
 */

/** A HOST:PORT argument could not be understood. */
export class AddressError extends UsageError {
	override name = 'AddressError';
}

export function parsePort(value: string, what = 'port'): number {
	if (!/^\d{1,5}$/.test(value)) {
		throw new AddressError(`${what} must be a number from 0 to 65535, got "${value}"`);
	}

	const port = Number(value);
	if (port > 65_535) {
		throw new AddressError(`${what} must be a number from 0 to 65535, got "${value}"`);
	}

	return port;
}

/**
 * Parses `host:port`, `[v6]:port`, or (with a default host) a bare `port`.
 * A bare IPv6 address has too many colons to carry a port: it must be bracketed.
 */
export function parseHostPort(value: string, defaultHost?: string): Remote {
	const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(value);
	if (bracketed) {
		const host = bracketed[1]!;
		if (isIP(host) !== 6) {
			throw new AddressError(`"${host}" in brackets is not an IPv6 address`);
		}

		return {host, port: parsePort(bracketed[2]!)};
	}

	if (defaultHost !== undefined && /^\d+$/.test(value)) {
		return {host: defaultHost, port: parsePort(value)};
	}

	const colon = value.lastIndexOf(':');
	if (colon <= 0) {
		throw new AddressError(`expected HOST:PORT (e.g. 127.0.0.1:9999 or [::1]:9999), got "${value}"`);
	}

	const host = value.slice(0, colon);
	if (host.startsWith('[') || host.includes(']')) {
		throw new AddressError(`expected [IPv6]:PORT (e.g. [::1]:9999), got "${value}"`);
	}

	if (host.includes(':')) {
		throw new AddressError(isIP(host) === 6 ? `an IPv6 address needs brackets to carry a port: [${host}]:${value.slice(colon + 1)}` : `expected HOST:PORT (e.g. 127.0.0.1:9999 or [::1]:9999), got "${value}"`);
	}

	return {host: checkHostName(host), port: parsePort(value.slice(colon + 1))};
}

/**
 * A host as typed: an IPv4 or IPv6 address, or a DNS name (RFC 1123 §2.1 labels: letters, digits
 * and hyphens, dot-separated, at most 253 characters; letters of any script, for IDN names, and
 * `_`, which some local names use, are let through). Anything else (spaces, controls, `%`, `/`,
 * brackets) could only fail at the resolver, later and less clearly: an AddressError now.
 */
export function checkHostName(host: string, what = 'host'): string {
	if (isIP(host) !== 0) {
		return host;
	}

	if (host.length > 253 || !/^(?!-)[\p{L}\p{N}_-]{1,63}(?<!-)(?:\.(?!-)[\p{L}\p{N}_-]{1,63}(?<!-))*\.?$/u.test(host)) {
		throw new AddressError(`${what} "${host}" is not an IP address or a host name (letters, digits, - and . only)`);
	}

	return host;
}

/** What a target address names: the transport and where (`explicit`: a scheme said which). */
export type Transport = 'tcp' | 'udp' | 'tls' | 'unix';

export type Target = Remote & {readonly transport: Transport; readonly explicit?: boolean};

/**
 * `unix:/path` (or `unix:relative/path`), or Linux's abstract namespace `unix:@name` (no file;
 * the name is given to the kernel with a leading NUL byte, as ncat and socat do).
 */
function unixTarget(value: string): Target {
	const path = unixSocketPath(value.slice('unix:'.length), `"${value}": unix: needs a path (unix:/tmp/app.sock) or an abstract name (unix:@name)`);
	return {transport: 'unix', explicit: true, host: 'localhost', port: 0, path};
}

/**
 * The longest Unix socket address, in bytes: `sun_path` is 108 bytes on Linux (unix(7)), and a
 * path keeps one for its terminating NUL; an abstract name has no terminator but starts with a
 * NUL, so it too has 107 bytes of its own. A longer one would be cut by the kernel (or by libuv)
 * and reach whatever listens on the cut name, so it is refused.
 */
export const maxUnixPathBytes = 107;

/**
 * A Unix socket's address as the kernel takes it, from a path as typed or `@name` (Linux's
 * abstract namespace: a leading NUL, then exactly the name's bytes, as socat's ABSTRACT-* and
 * Python's '\0name' use it). Throws an AddressError (`empty` when nothing is named) for a name
 * too long to be exact, or for an abstract name on a Node that pads it with NULs to 108 bytes
 * (before Node 22, whose libuv binds with the name's length), which no other program could reach.
 */
export function unixSocketPath(spelled: string, empty: string, nodeVersion = process.versions.node): string {
	if (spelled === '' || spelled === '@') {
		throw new AddressError(empty);
	}

	const abstract = spelled.startsWith('@');
	const bytes = Buffer.byteLength(abstract ? spelled.slice(1) : spelled);
	if (bytes > maxUnixPathBytes) {
		throw new AddressError(`${abstract ? 'abstract socket name' : 'Unix socket path'} too long (${bytes} > ${maxUnixPathBytes} bytes): the kernel would cut it; use a shorter ${abstract ? 'name' : 'path (a relative one counts from the current folder)'}`);
	}

	if (abstract && Number(nodeVersion.split('.')[0]) < 22) {
		throw new AddressError(`abstract socket names need Node.js 22 or newer (Node ${nodeVersion} pads "${spelled}" with NUL bytes, so no other program could reach it)`);
	}

	return abstract ? `\0${spelled.slice(1)}` : spelled;
}

/** A target's port: 0 means "any free port" to a listener, and nothing to connect to. */
function connectable(remote: Remote, value: string): Remote {
	if (remote.port === 0) {
		throw new AddressError(`"${value}": port 0 cannot be connected to (it means "any free port" only to --port)`);
	}

	return remote;
}

/** socat's address types: `TCP:host:port` and friends, told apart from an IPv6 address without brackets. */
const socatTypes = /^(tcp[46]?|udp[46]?|tcp-connect|udp-connect|openssl|openssl-connect|ssl|tls|dtls|unix|unix-connect|abstract-connect|exec|system|stdio|pipe|socks4a?|socks5|proxy|sctp)$/i;

const schemes: Record<string, Transport> = {tcp: 'tcp', udp: 'udp', tls: 'tls'};

/**
 * Parses a target in the address grammar: `HOST:PORT` (TCP), `tcp://HOST:PORT`,
 * `udp://HOST:PORT`, `tls://HOST:PORT`, IPv6 in brackets. Only the transports in `accepts` are
 * taken (`where` names the place in the message); any other `scheme://` or `unix:` is refused by
 * name (not taken for an IPv6 address needing brackets). Throws an AddressError (exit 2).
 */
export function parseTargetAddress(value: string, accepts: readonly Transport[] = ['tcp', 'udp'], where = 'here'): Target {
	const forms = ['HOST:PORT', ...accepts.map(transport => (transport === 'unix' ? 'unix:/PATH' : `${transport}://HOST:PORT`))].join(', ');
	if (/^unix:/i.test(value)) {
		if (!accepts.includes('unix')) {
			throw new AddressError(`unix: cannot be used ${where} (Node has no Unix datagram sockets; connect, /connect and relay's upstream take it); accepted: ${forms}`);
		}

		return unixTarget(value);
	}

	const scheme = /^([a-z][a-z\d+.-]*):(\/\/)?/i.exec(value);
	if (scheme && scheme[2] !== undefined) {
		const name = scheme[1]!.toLowerCase();
		const transport = schemes[name];
		if (transport === 'tls' && !accepts.includes(transport) && scheme[2] !== undefined) {
			throw new AddressError(`tls:// cannot be used ${where} (connect, /connect and relay's upstream take it); accepted: ${forms}`);
		}

		if (transport === undefined || scheme[2] === undefined || !accepts.includes(transport)) {
			throw new AddressError(`unsupported address scheme ${scheme[0]} in "${value}" (supported ${where}: ${forms})`);
		}

		return {transport, explicit: true, ...connectable(parseHostPort(value.slice(scheme[0].length)), value)};
	}

	const socat = /^([a-z][\w-]*):/i.exec(value);
	if (socat && socatTypes.test(socat[1]!)) {
		throw new AddressError(`"${value}" looks like a socat address (${socat[1]!.toUpperCase()}:…); socket-tui takes ${forms}`);
	}

	return {transport: 'tcp', ...connectable(parseHostPort(value), value)};
}


/**
 * `--proxy socks5://[USER:PASS@]HOST:PORT` or `http://[USER:PASS@]HOST:PORT` (HTTP CONNECT), as
 * ncat's --proxy takes them.
 */
export type ProxySpec = {
	readonly kind: 'socks5' | 'http';
	readonly host: string;
	readonly port: number;
	readonly user?: string;
	readonly password?: string;
};

/**
 * A URL's user or password with its %XX escapes decoded (RFC 3986 §2.1: `%40` is `@`); a `%` not
 * followed by two hex digits, or escapes that are not UTF-8, are an AddressError naming them.
 */
function percentDecoded(part: string, value: string, what: string): string {
	const bad = /%(?![\da-f]{2})/i.exec(part);
	if (bad) {
		throw new AddressError(`--proxy "${value}": the ${what} has a bad escape "${part.slice(bad.index, bad.index + 3)}" (write % as %25)`);
	}

	let decoded: string;
	try {
		decoded = decodeURIComponent(part);
	} catch {
		throw new AddressError(`--proxy "${value}": the ${what}'s escapes are not UTF-8 ("${part}")`);
	}

	// Nothing a proxy could be sent as a name, and nothing that could act on a terminal when shown.
	if (/[\u0000-\u001F\u007F-\u009F]/.test(decoded)) {
		throw new AddressError(`--proxy "${value}": the ${what} holds a control character`);
	}

	return decoded;
}

/** Parses --proxy; an AddressError (exit 2) names the forms accepted. */
export function parseProxy(value: string): ProxySpec {
	const match = /^(socks5|http):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/]+?)\/?$/i.exec(value);
	if (!match) {
		throw new AddressError(`--proxy takes socks5://HOST:PORT or http://HOST:PORT (with USER:PASS@ before HOST when it needs them), got "${value}"`);
	}

	const remote = connectable(parseHostPort(match[4]!), value);
	const kind = match[1]!.toLowerCase() as ProxySpec['kind'];
	const user = match[2] === undefined ? {} : {user: percentDecoded(match[2], value, 'user name'), password: percentDecoded(match[3] ?? '', value, 'password')};
	return {kind, host: remote.host, port: remote.port, ...user};
}
