/**
 * What a TLS ClientHello offers that a transparent relay must pass on: the server name (SNI,
 * RFC 6066 §3) and the application protocols (ALPN, RFC 7301 §3.1). Read from the first
 * handshake message, which may span several records (RFC 8446 §5.1); nothing is decrypted
 * (the ClientHello is plaintext in every TLS version).
 */
export type ClientHello = {readonly serverName?: string; readonly alpn?: readonly string[]};

/** The result of looking at the bytes a client sent so far. */
export type HelloScan =
	| {readonly kind: 'more'}
	| {readonly kind: 'hello'; readonly hello: ClientHello}
	| {readonly kind: 'not-hello'};

const recordHeader = 5;
const handshakeRecord = 22;
const clientHelloType = 1;
const serverNameExtension = 0;
const alpnExtension = 16;

/**
 * Scans the bytes received so far: `more` while the ClientHello is not whole, `hello` once it is,
 * `not-hello` for anything that is not a TLS handshake starting with a ClientHello (plain text,
 * a malformed message). Never throws; reads nothing past the bytes given.
 */
export function scanClientHello(bytes: Buffer): HelloScan {
	// The handshake message, put together from the records that carry it.
	const fragments: Buffer[] = [];
	let have = 0;
	let needed: number | undefined;
	for (let at = 0; ;) {
		if (bytes.length < at + recordHeader) {
			return {kind: 'more'};
		}

		if (bytes[at] !== handshakeRecord || bytes[at + 1] !== 3) {
			return {kind: 'not-hello'};
		}

		const length = bytes.readUInt16BE(at + 3);
		if (length === 0 || bytes.length < at + recordHeader + length) {
			return length === 0 ? {kind: 'not-hello'} : {kind: 'more'};
		}

		const fragment = bytes.subarray(at + recordHeader, at + recordHeader + length);
		fragments.push(fragment);
		have += fragment.length;
		at += recordHeader + length;
		if (needed === undefined && have >= 4) {
			const head = Buffer.concat(fragments);
			if (head[0] !== clientHelloType) {
				return {kind: 'not-hello'};
			}

			needed = 4 + head.readUIntBE(1, 3);
		}

		if (needed !== undefined && have >= needed) {
			const hello = parseClientHello(Buffer.concat(fragments).subarray(4, needed));
			return hello === undefined ? {kind: 'not-hello'} : {kind: 'hello', hello};
		}
	}
}

/** The SNI and ALPN of a ClientHello's body (after its 4-byte handshake header); undefined when malformed. */
function parseClientHello(body: Buffer): ClientHello | undefined {
	const reader = new Reader(body);
	reader.skip(2 + 32); // legacy_version, random
	reader.skip(reader.u8()); // legacy_session_id
	reader.skip(reader.u16()); // cipher_suites
	reader.skip(reader.u8()); // legacy_compression_methods
	if (reader.failed) {
		return undefined;
	}

	if (reader.left === 0) {
		return {}; // No extensions (TLS 1.2 allows it).
	}

	const extensions = new Reader(reader.bytes(reader.u16()));
	let serverName: string | undefined;
	let alpn: string[] | undefined;
	while (!extensions.failed && extensions.left > 0) {
		const type = extensions.u16();
		const data = new Reader(extensions.bytes(extensions.u16()));
		if (type === serverNameExtension) {
			const list = new Reader(data.bytes(data.u16()));
			while (!list.failed && list.left > 0) {
				const nameType = list.u8();
				const name = list.bytes(list.u16());
				if (nameType === 0 && !list.failed) {
					serverName = name.toString('latin1');
				}
			}
		} else if (type === alpnExtension) {
			const list = new Reader(data.bytes(data.u16()));
			alpn = [];
			while (!list.failed && list.left > 0) {
				const protocol = list.bytes(list.u8());
				if (!list.failed && protocol.length > 0) {
					alpn.push(protocol.toString('latin1'));
				}
			}
		}
	}

	if (extensions.failed) {
		return undefined;
	}

	return {...(serverName === undefined ? {} : {serverName}), ...(alpn === undefined || alpn.length === 0 ? {} : {alpn})};
}

/** Big-endian fields off a buffer; reading past its end sets `failed` and yields zeros. */
class Reader {
	#at = 0;
	failed = false;

	constructor(private readonly buffer: Buffer) {}

	get left(): number {
		return this.buffer.length - this.#at;
	}

	u8(): number {
		return this.#take(1)[0] ?? 0;
	}

	u16(): number {
		const bytes = this.#take(2);
		return bytes.length === 2 ? bytes.readUInt16BE(0) : 0;
	}

	bytes(count: number): Buffer {
		return this.#take(count);
	}

	skip(count: number): void {
		this.#take(count);
	}

	#take(count: number): Buffer {
		if (this.failed || count > this.left) {
			this.failed = true;
			return Buffer.alloc(0);
		}

		const taken = this.buffer.subarray(this.#at, this.#at + count);
		this.#at += count;
		return taken;
	}
}
