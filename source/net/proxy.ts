import {connect, type Socket} from 'node:net';
import {formatHostPort} from '../format/host-port.js';
import {ExplainedError} from './errors.js';
import {commonJsExports} from './common-js.js';
import {terminalSafeMessage} from '../protocol/terminal-safe.js';
import type {ProxySpec} from '../protocol/address-grammar.js';

/** Where a proxy is, as typed but without the password. */
export function describeProxy(proxy: ProxySpec): string {
	return `${proxy.kind}://${proxy.user === undefined ? '' : `${proxy.user}@`}${formatHostPort(proxy.host, proxy.port)}`;
}

/** The step of a proxied dial that failed, and a person's words for it. */
function failed(step: 'proxy-refused' | 'proxy-auth' | 'proxy-unreachable-target' | 'proxy-error', proxy: ProxySpec, detail: string, hint: string): ExplainedError {
	return new ExplainedError({code: step, message: `${describeProxy(proxy)}: ${detail}`, hint});
}

/**
 * A TCP connection to `host:port` made through the proxy: SOCKS5 by the socks library, HTTP by
 * CONNECT (RFC 9110 §9.3.6) with Basic credentials when given. Resolves with the socket once
 * the tunnel is up (bytes on it are then the target's); rejects with an ExplainedError naming
 * the step that failed: the proxy refused us, refused our credentials, or could not reach the
 * target.
 */
export async function dialThroughProxy(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<Socket> {
	return proxy.kind === 'socks5' ? dialSocks(proxy, host, port, timeoutMs) : dialConnect(proxy, host, port, timeoutMs);
}

async function dialSocks(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<Socket> {
	try {
		// Loaded when a SOCKS proxy is used: not on every start.
		const {SocksClient} = commonJsExports(await import('socks'));
		const {socket} = await SocksClient.createConnection({
			proxy: {host: proxy.host, port: proxy.port, type: 5, ...(proxy.user === undefined ? {} : {userId: proxy.user, password: proxy.password ?? ''})},
			command: 'connect',
			destination: {host, port},
			timeout: timeoutMs,
			set_tcp_nodelay: true,
		});
		return socket;
	} catch (error) {
		const message = (error as Error).message;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
			throw failed('proxy-refused', proxy, 'the proxy refused the connection', 'is the proxy running on that port?');
		}

		// The socks library's messages (its ERRORS table, not exported).
		if (message.includes('Socks5 Authentication failed') || message.includes('no accepted authentication type')) {
			throw failed('proxy-auth', proxy, 'the proxy refused our credentials', 'check USER:PASS in --proxy socks5://USER:PASS@HOST:PORT');
		}

		if (message.includes('Socks5 proxy rejected connection')) {
			throw failed('proxy-unreachable-target', proxy, `the proxy could not reach ${formatHostPort(host, port)} (${message.replace(/^.*Rejected - ?/i, '') || 'rejected'})`, 'the target refused, or the proxy cannot reach it');
		}

		throw failed('proxy-error', proxy, message, 'check the proxy address');
	}
}

async function dialConnect(proxy: ProxySpec, host: string, port: number, timeoutMs: number): Promise<Socket> {
	const socket = connect({host: proxy.host, port: proxy.port, noDelay: true, timeout: timeoutMs, allowHalfOpen: true});
	const target = formatHostPort(host, port);
	const auth = proxy.user === undefined ? '' : `Proxy-Authorization: Basic ${Buffer.from(`${proxy.user}:${proxy.password ?? ''}`).toString('base64')}\r\n`;
	return new Promise<Socket>((resolve, reject) => {
		let head = Buffer.alloc(0);
		const fail = (error: ExplainedError): void => {
			socket.destroy();
			reject(error);
		};

		socket.once('connect', () => {
			socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
		});
		socket.on('timeout', () => {
			fail(failed('proxy-error', proxy, `no answer within ${timeoutMs} ms`, 'check the proxy address'));
		});
		socket.on('error', (error: NodeJS.ErrnoException) => {
			fail(error.code === 'ECONNREFUSED' ? failed('proxy-refused', proxy, 'the proxy refused the connection', 'is the proxy running on that port?') : failed('proxy-error', proxy, error.code ?? error.message, 'check the proxy address'));
		});
		socket.on('end', () => {
			fail(failed('proxy-error', proxy, 'the proxy closed the connection before answering CONNECT', 'is it an HTTP proxy?'));
		});
		const onData = (chunk: Buffer): void => {
			head = Buffer.concat([head, chunk]);
			const end = head.indexOf('\r\n\r\n');
			if (end === -1) {
				if (head.length > 16 * 1024) {
					fail(failed('proxy-error', proxy, 'an answer to CONNECT without an end', 'is it an HTTP proxy?'));
				}

				return;
			}

			socket.off('data', onData);
			const status = /^HTTP\/1\.[01] (\d{3})([^\r\n]*)/.exec(head.toString('latin1'));
			const code = status ? Number(status[1]) : 0;
			if (code >= 200 && code < 300) {
				socket.removeAllListeners('timeout');
				socket.removeAllListeners('error');
				socket.removeAllListeners('end');
				socket.setTimeout(0);
				socket.pause();
				// Bytes the target sent right after the proxy's answer belong to the stream.
				const rest = head.subarray(end + 4);
				if (rest.length > 0) {
					socket.unshift(rest);
				}

				resolve(socket);
				return;
			}

			// The proxy's words, shown escaped wherever they go (screen, stderr, log text).
			const reason = status ? terminalSafeMessage(`${code}${status[2]}`) : 'not an HTTP answer';
			if (code === 407) {
				fail(proxy.user === undefined
					? failed('proxy-auth', proxy, `the proxy wants credentials (${reason})`, 'give them: --proxy http://USER:PASS@HOST:PORT')
					: failed('proxy-auth', proxy, `the proxy refused our credentials (${reason})`, 'check USER:PASS in --proxy'));
			} else if (code === 502 || code === 503 || code === 504) {
				fail(failed('proxy-unreachable-target', proxy, `the proxy could not reach ${target} (${reason})`, 'the target refused, or the proxy cannot reach it'));
			} else {
				fail(failed('proxy-error', proxy, `CONNECT ${target} was refused (${reason})`, 'the proxy may not allow tunnels to that port'));
			}
		};

		socket.on('data', onData);
	});
}
