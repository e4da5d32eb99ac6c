import {UsageError} from '../../errors.js';

/** What a `get` dials and asks for, from its URL. */
export type HttpTarget = {
	readonly url: URL;
	readonly tls: boolean;
	/** Host to dial: a name or an address (IPv6 without brackets). */
	readonly host: string;
	readonly port: number;
	/** Path and query, as the request line carries them. */
	readonly path: string;
	/** The Host header: host, with the port when it is not the default. */
	readonly hostHeader: string;
	/** The URL as events and messages show it: a password in it as `***`. */
	readonly shown: string;
};

export class TargetError extends UsageError {
	override name = 'TargetError';
}

/** Parses an http:// or https:// URL (a bare `host/path` is taken as http://). */
export function parseTarget(input: string, base?: URL): HttpTarget {
	let url: URL;
	try {
		url = base ? new URL(input, base) : new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(input) ? input : `http://${input}`);
	} catch {
		throw new TargetError(`not a URL: "${input}"`);
	}

	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new TargetError(`only http:// and https:// URLs can be fetched, got ${url.protocol}//`);
	}

	const tls = url.protocol === 'https:';
	const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
	const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
	const shown = new URL(url.href);
	if (shown.password !== '') {
		shown.password = '***';
	}

	return {url, tls, host, port, path: `${url.pathname || '/'}${url.search}`, hostHeader: url.host, shown: shown.href};
}

function decoded(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** The longest name made from the network, in UTF-8 bytes: NAME_MAX is 255, and `.NNN` and `.PID.part` must fit beside it. */
export const maxFileNameBytes = 200;

/**
 * A name from the network made safe as a whole, so it can only name a new, visible, printable file
 * in the current folder: separators and colons, controls (C0, DEL, C1), format characters (bidi
 * overrides and marks, zero-width ones, BOM) and line separators become `_`; blanks and leading
 * dots are trimmed again until none is left (`. .bashrc` is `bashrc`, not `.bashrc`); `.` and `..`
 * are nothing; at most maxFileNameBytes, cut at a character and keeping a short extension.
 */
export function safeName(name: string): string {
	let safe = name.normalize('NFC').replaceAll(/[\\/:\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '_');
	for (let before = ''; before !== safe;) {
		before = safe;
		safe = safe.trim().replace(/^\.+/, '');
	}

	if (Buffer.byteLength(safe) <= maxFileNameBytes) {
		return safe;
	}

	const extension = /\.[\p{L}\p{N}]{1,10}$/u.exec(safe)?.[0] ?? '';
	let stem = '';
	let bytes = Buffer.byteLength(extension);
	for (const character of safe.slice(0, safe.length - extension.length)) {
		bytes += Buffer.byteLength(character);
		if (bytes > maxFileNameBytes) {
			break;
		}

		stem += character;
	}

	return stem.trimEnd() + extension;
}

/**
 * The file a body is saved to without -o. It comes from the URL the user typed, as `curl -O`
 * and wget (since CVE-2010-2252) do: a server's redirect never chooses which file is written,
 * unless asked (`trustServerNames`, wget's --trust-server-names), and even then the name is
 * made safe. A page (`/`, a path ending in `/`, or one the server redirected to its `/` form)
 * is saved as `HOST-PATH.html` (`example.com.html`, `127.0.0.1-sub.html`); any other path as
 * its last segment. Never a hidden name (`.profile` → `profile`) nor one with a path in it.
 */
export function defaultFileName(typed: HttpTarget, current: HttpTarget = typed, trustServerNames = false): string {
	const source = trustServerNames ? current : typed;
	const path = source.url.pathname;
	const page = path.endsWith('/') || current.url.pathname === `${typed.url.pathname}/`;
	const segments = path.split('/').filter(segment => segment !== '').map(segment => decoded(segment));
	if (page) {
		return safeName([source.host, ...segments].join('-')) + '.html';
	}

	return safeName(segments.at(-1) ?? '') || `${safeName(source.host)}.html`;
}

/**
 * The request bytes: GET with Host, Connection: close, and the user's extra headers. To a plain
 * HTTP proxy (`viaProxy`), the absolute form (`GET http://host/path`, RFC 9112 §3.2.2, as
 * `curl -x` sends it), with its Proxy-Authorization when given.
 */
export function buildRequest(target: HttpTarget, extraHeaders: ReadonlyArray<readonly [string, string]>, viaProxy?: {readonly authorization?: string}): Buffer {
	const names = new Set(extraHeaders.map(([name]) => name.toLowerCase()));
	const absolute = `${target.url.protocol}//${target.url.host}${target.path}`;
	const lines = [`GET ${viaProxy ? absolute : target.path} HTTP/1.1`];
	if (viaProxy?.authorization !== undefined) {
		lines.push(`Proxy-Authorization: ${viaProxy.authorization}`);
	}

	if (!names.has('host')) {
		lines.push(`Host: ${target.hostHeader}`);
	}

	// user:password@ in the URL: HTTP Basic (RFC 7617), as curl sends it, unless -H gave one.
	if (!names.has('authorization') && target.url.username !== '') {
		lines.push(`Authorization: Basic ${Buffer.from(`${decoded(target.url.username)}:${decoded(target.url.password)}`, 'utf8').toString('base64')}`);
	}

	if (!names.has('user-agent')) {
		lines.push('User-Agent: socket-tui');
	}

	if (!names.has('accept')) {
		lines.push('Accept: */*');
	}

	for (const [name, value] of extraHeaders) {
		lines.push(`${name}: ${value}`);
	}

	if (!names.has('connection')) {
		lines.push('Connection: close');
	}

	return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
}

/** `Name: value` from -H; throws on anything that could smuggle a second header. */
export function parseHeaderFlag(value: string): [string, string] {
	const colon = value.indexOf(':');
	const name = colon > 0 ? value.slice(0, colon).trim() : '';
	const headerValue = colon > 0 ? value.slice(colon + 1).trim() : '';
	if (!/^[!#$%&'*+.^_`|~\w-]+$/.test(name) || /[\r\n]/.test(headerValue)) {
		throw new TargetError(`-H takes "Name: value", got "${value}"`);
	}

	return [name, headerValue];
}
