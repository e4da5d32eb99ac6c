import {describe, expect, it} from 'vitest';
import {configFromFlags, defaults} from '../../source/config.js';
import {UsageError} from '../../source/errors.js';
import {formatHostPort, isLoopback, parseHostPort} from '../../source/net/address.js';
import {payloadBytes, toPayload} from '../../source/protocol/payload.js';

describe('HOST:PORT', () => {
	it('parses IPv4, names, and bracketed IPv6', () => {
		expect(parseHostPort('127.0.0.1:9999')).toEqual({host: '127.0.0.1', port: 9999});
		expect(parseHostPort('localhost:0')).toEqual({host: 'localhost', port: 0});
		expect(parseHostPort('[::1]:9999')).toEqual({host: '::1', port: 9999});
		expect(formatHostPort('::1', 9999)).toBe('[::1]:9999');
	});

	it('rejects what cannot be right, saying why', () => {
		expect(() => parseHostPort('::1:9999')).toThrow('needs brackets');
		expect(() => parseHostPort('host')).toThrow('expected HOST:PORT');
		expect(() => parseHostPort('host:99999')).toThrow('0 to 65535');
		expect(() => parseHostPort('[nothost]:1')).toThrow('not an IPv6 address');
	});

	it('knows loopback from the rest', () => {
		expect(isLoopback('127.0.0.1')).toBe(true);
		expect(isLoopback('::1')).toBe(true);
		expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
		expect(isLoopback('0.0.0.0')).toBe(false);
		expect(isLoopback('::')).toBe(false);
	});
});

describe('flags', () => {
	it('has documented defaults', () => {
		const config = configFromFlags({});
		expect(config).toMatchObject({host: '127.0.0.1', port: 9999, udp: true, framing: 'line', eol: 'lf', maxClients: defaults.maxClients, maxLine: 65_536});
	});

	it('reads durations and allow lists', () => {
		expect(configFromFlags({idleTimeout: '30'}).idleTimeoutMs).toBe(30_000);
		expect(configFromFlags({idleTimeout: '500ms'}).idleTimeoutMs).toBe(500);
		expect(configFromFlags({idleTimeout: '2m'}).idleTimeoutMs).toBe(120_000);
		const allow = configFromFlags({allow: ['192.168.0.0/16', '::1']}).allow!;
		expect(allow.allows('192.168.4.2')).toBe(true);
		expect(allow.allows('::ffff:192.168.4.2')).toBe(true);
		expect(allow.allows('10.0.0.1')).toBe(false);
		expect(allow.allows('::1')).toBe(true);
	});

	it('accepts size suffixes', () => {
		expect(configFromFlags({maxLine: '1k', maxBuffer: '2m'})).toMatchObject({maxLine: 1024, maxBuffer: 2 * 1024 * 1024});
	});

	it.each([
		[{port: 'abc'}, '--port must be a number from 0 to 65535, got "abc"'],
		[{port: '70000'}, '--port must be a number'],
		[{udpPort: '-1'}, '--udp-port must be a number'],
		[{framing: 'word'}, '--framing must be one of line, chunk, len:u8|u16be|u16le|u32be|u32le, delim:HEX, got "word"'],
		[{eol: 'cr'}, '--eol must be one of lf, crlf, none'],
		[{maxClients: '0'}, '--max-clients must be from 1'],
		[{maxLine: 'big'}, '--max-line must be a whole number'],
		[{host: ''}, '--host must not be empty'],
		[{host: '127.0.0.1:80'}, '--host takes an address without port'],
		[{log: ''}, '--log needs a file name'],
		[{timeout: '1.5'}, '--timeout must be a whole number'],
		[{idleTimeout: 'soon'}, '--idle-timeout takes a duration'],
		[{allow: ['10.0.0.0/33']}, 'must be from 0 to 32'],
		[{allow: ['lan']}, '--allow takes an address or CIDR range'],
	])('rejects %o with a clear message', (flags, message) => {
		expect(() => configFromFlags(flags)).toThrow(UsageError);
		expect(() => configFromFlags(flags)).toThrow(message);
	});
});

describe('payloads', () => {
	it('carries text alone when it is exact, and base64 when it is not', () => {
		expect(toPayload(Buffer.from('héllo'))).toEqual({text: 'héllo'});
		const binary = Buffer.from([0xFF, 0xFE, 0x00]);
		const payload = toPayload(binary);
		expect(payload.base64).toBe(binary.toString('base64'));
		expect(payloadBytes(payload)).toEqual(binary);
	});
});

describe('--allow and IPv4-mapped peers', () => {
	it('matches a mapped peer by its IPv4 rules, and a rule written mapped as the IPv4 rule', async () => {
		const {parseAllowList} = await import('../../source/net/allow-list.js');
		const list = parseAllowList(['127.0.0.1', '::ffff:10.0.0.0/104']);
		expect(list.allows('::ffff:127.0.0.1')).toBe(true);
		expect(list.allows('127.0.0.1')).toBe(true);
		expect(list.allows('::ffff:127.0.0.2')).toBe(false);
		expect(list.allows('10.9.8.7')).toBe(true);
		expect(list.allows('::ffff:10.9.8.7')).toBe(true);
		expect(list.allows('11.0.0.1')).toBe(false);
	});
});

describe('the address grammar', () => {
	it('takes HOST:PORT, tcp:// and udp://, and names any other scheme as unsupported', async () => {
		const {parseTargetAddress} = await import('../../source/net/address.js');
		expect(parseTargetAddress('127.0.0.1:80')).toEqual({transport: 'tcp', host: '127.0.0.1', port: 80});
		expect(parseTargetAddress('tcp://[::1]:80')).toEqual({transport: 'tcp', explicit: true, host: '::1', port: 80});
		expect(parseTargetAddress('udp://localhost:53')).toEqual({transport: 'udp', explicit: true, host: 'localhost', port: 53});
		expect(() => parseTargetAddress('openssl:127.0.0.1:443')).toThrow(/socat address/);
		expect(() => parseTargetAddress('TCP4:127.0.0.1:80')).toThrow(/socat address/);
		expect(() => parseTargetAddress('unix:/tmp/sock')).toThrow(/unix: cannot be used here/);
		expect(parseTargetAddress('unix:@name', ['unix'])).toMatchObject({transport: 'unix', path: '\0name'});
		for (const address of ['http://h:80', 'ssl://h:1']) {
			expect(() => parseTargetAddress(address)).toThrow(/unsupported address scheme/);
		}

		// tls:// is taken where TLS is spoken (relay's upstream), and named where it is not yet.
		expect(() => parseTargetAddress('tls://example.com:443')).toThrow(/tls:\/\/ cannot be used here/);
		expect(parseTargetAddress('tls://example.com:443', ['tcp', 'tls', 'udp'])).toEqual({transport: 'tls', explicit: true, host: 'example.com', port: 443});
		expect(() => parseTargetAddress('udp://h:1', ['tcp', 'tls'], 'as an upstream')).toThrow('unsupported address scheme udp:// in "udp://h:1" (supported as an upstream: HOST:PORT, tcp://HOST:PORT, tls://HOST:PORT)');
	});
});

describe('a target\'s port', () => {
	it('is never 0: that is "any free port" only to a listener', async () => {
		const {parseTargetAddress} = await import('../../source/net/address.js');
		expect(() => parseTargetAddress('127.0.0.1:0')).toThrow(/port 0 cannot be connected to/);
		expect(() => parseTargetAddress('tls://h:0', ['tls'])).toThrow(/port 0/);
	});
});

describe('host names', () => {
	it('takes IP addresses and DNS names (IDN and _ too), and refuses anything a resolver could only fail on', async () => {
		const {checkHostName} = await import('../../source/protocol/address-grammar.js');
		for (const good of ['127.0.0.1', '::1', 'fe80::1', 'localhost', 'localhost.', 'example.com', 'my_host.local', 'bücher.de', 'a-b.c', 'x'.repeat(63)]) {
			expect(checkHostName(good), good).toBe(good);
		}

		for (const bad of ['', ' ', 'a b', 'a/b', '%zz', '::1]', '[::1', '\u001B[2J', 'a..b', '-a.b', 'a-.b', 'x'.repeat(64), `${'a.'.repeat(127)}ab`, 'a:b', 'h\u0007']) {
			expect(() => checkHostName(bad), JSON.stringify(bad)).toThrow(UsageError);
		}
	});
});
