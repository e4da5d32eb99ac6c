import {connect as connectTcp, type Socket} from 'node:net';
import {connect as connectTls} from 'node:tls';
import type {Writable} from 'node:stream';
import type {EventBus} from '../../bus.js';
import {plural} from '../../format/plural.js';
import {formatHostPort} from '../address.js';
import {ExplainedError, explainConnectError, explainTlsError} from '../errors.js';
import {HttpProtocolError} from './chunked-decoder.js';
import {describeHead, ResponseReader, type BodyFraming, type ResponseHead} from './response-reader.js';
import {buildRequest, type HttpTarget} from './target.js';
import {dialThroughProxy} from '../proxy.js';
import {tlsConnectOptions, type TlsClientOptions} from '../tls-session.js';
import type {ProxySpec} from '../../protocol/address-grammar.js';

export type FetchOptions = {
	readonly raw: boolean;
	/** Connect and read timeout: no byte for this long fails the request. */
	readonly timeoutMs: number;
	/** --insecure, --ca, --cert/--key for https:// (the same as connect tls://). */
	readonly tls: TlsClientOptions;
	readonly headers: ReadonlyArray<readonly [string, string]>;
	/** Aborts the request (our reader went away): the promise rejects with OutputClosedError. */
	readonly signal?: AbortSignal;
	/** --proxy: http:// through an HTTP proxy goes as an absolute-form GET; https:// and SOCKS5 through a tunnel. */
	readonly proxy?: ProxySpec;
};

/** The request was stopped because nobody reads our output any more: a quiet end, not a failure. */
export class OutputClosedError extends Error {
	override name = 'OutputClosedError';
}

export type FetchResult = {
	readonly head: ResponseHead;
	readonly framing: BodyFraming;
	readonly bytes: number;
};

/** Where the body goes, chosen once the head is known; undefined drops it (redirects, errors). */
export type BodyTarget = (head: ResponseHead) => Writable | undefined;

const progressEveryMs = 100;

/**
 * One GET over a plain TCP socket (or TLS), as the tutorial does it by hand: write the request,
 * read the head, stream the body to `bodyFor(head)` with backpressure (memory stays flat however
 * large the body). Resolves when the body is whole by its framing; rejects with a one-line
 * ExplainedError otherwise (refused, reset mid-body, closed early, not HTTP, timeout).
 */
export async function fetchOnce(bus: EventBus, target: HttpTarget, options: FetchOptions, bodyFor: BodyTarget): Promise<FetchResult> {
	const where = formatHostPort(target.host, target.port);
	bus.publish({type: 'http.connect', url: target.shown, host: target.host, port: target.port, tls: target.tls});
	const started = performance.now();
	const {proxy} = options;
	// Plain HTTP through an HTTP proxy: the proxy is the peer, asked with the absolute form.
	const forwarding = proxy?.kind === 'http' && !target.tls;
	const tunnel = proxy && !forwarding ? await dialThroughProxy(proxy, target.host, target.port, options.timeoutMs) : undefined;
	const tls = {...tlsConnectOptions(target.host, options.tls), ALPNProtocols: ['http/1.1']};
	const socket: Socket = target.tls
		? connectTls(tunnel ? {socket: tunnel, ...tls} : {port: target.port, ...tls})
		: (tunnel ?? connectTcp(forwarding ? {host: proxy.host, port: proxy.port} : {host: target.host, port: target.port}));
	socket.setTimeout(options.timeoutMs);
	const viaProxy = forwarding ? {...(proxy.user === undefined ? {} : {authorization: `Basic ${Buffer.from(`${proxy.user}:${proxy.password ?? ''}`).toString('base64')}`})} : undefined;

	return new Promise<FetchResult>((resolve, reject) => {
		let body: Writable | undefined;
		let lastProgress = 0;
		let settled = false;
		const fail = (error: unknown): void => {
			if (settled) {
				return;
			}

			settled = true;
			socket.destroy();
			reject(error instanceof ExplainedError || error instanceof OutputClosedError ? error : explain(error));
		};

		const explain = (error: unknown): ExplainedError => {
			if (error instanceof HttpProtocolError) {
				return new ExplainedError({code: 'EPROTO', message: `${where}: ${error.message}`, hint: 'is this an HTTP server? try --raw to save what it sends'});
			}

			const code = (error as NodeJS.ErrnoException).code ?? '';
			if (reader.head && (code === 'ECONNRESET' || code === 'EPIPE')) {
				return new ExplainedError({code, message: `connection reset by ${where} after ${bodySoFar(reader)}`, hint: 'the body is incomplete and was not kept; try again'});
			}

			const tls = target.tls ? explainTlsError(error, target.host, target.port) : undefined;
			if (tls) {
				// A plain-HTTP port: the same URL over http:// is what was meant.
				return new ExplainedError(tls.kind === 'not-tls' ? {...tls, message: `${where}: the server did not answer TLS — is it plain http://?`, hint: `try http://${target.hostHeader}${target.path}`} : tls);
			}

			return new ExplainedError(explainConnectError(error, target.host, target.port));
		};

		const finish = (): void => {
			if (settled) {
				return;
			}

			settled = true;
			socket.destroy();
			const done = (): void => {
				bus.publish({type: 'http.done', url: target.shown, status: reader.head!.status, bytes: reader.received, durationMs: Math.round(performance.now() - started)});
				resolve({head: reader.head!, framing: reader.framing!, bytes: reader.received});
			};

			if (body) {
				body.end(done);
			} else {
				done();
			}
		};

		const reader = new ResponseReader(head => {
			bus.publish({type: 'http.status', url: target.shown, version: head.version, status: head.status, reason: head.reason});
			bus.publish({type: 'http.headers', url: target.shown, headers: head.headers.map(([name, value]) => [name, value] as [string, string])});
			body = bodyFor(head);
		}, bytes => {
			if (body && !body.write(bytes)) {
				// A slow disk or pipe: stop reading until it drains.
				socket.pause();
				body.once('drain', () => socket.resume());
			}

			const now = performance.now();
			if (now - lastProgress >= progressEveryMs) {
				lastProgress = now;
				bus.publish({type: 'http.progress', url: target.shown, bytes: reader.received, ...(reader.expected === undefined ? {} : {total: reader.expected})});
			}
		}, options.raw);

		const send = (): void => {
			const request = buildRequest(target, options.headers, viaProxy);
			socket.write(request);
			bus.publish({type: 'http.request', url: target.shown, bytes: request.length, text: request.toString('latin1')});
		};

		if (tunnel && !target.tls) {
			// The tunnel is up already (and handed over paused).
			socket.resume();
			process.nextTick(send);
		} else {
			socket.once(target.tls ? 'secureConnect' : 'connect', send);
		}
		socket.on('data', (chunk: Buffer) => {
			try {
				reader.push(chunk);
				if (reader.complete) {
					finish();
				}
			} catch (error) {
				fail(error);
			}
		});
		socket.on('end', () => {
			try {
				reader.end();
			} catch (error) {
				fail(error);
				return;
			}

			if (reader.complete) {
				finish();
			} else {
				fail(new ExplainedError({code: 'EINCOMPLETE', message: `${where} closed the connection after ${bodySoFar(reader)}`, hint: 'the body is incomplete and was not kept; try again'}));
			}
		});
		socket.on('timeout', () => {
			fail(new ExplainedError({code: 'ETIMEDOUT', message: stallMessage(where, reader, options.timeoutMs), hint: 'try a longer --timeout'}));
		});
		const onAbort = (): void => {
			fail(new OutputClosedError('output closed'));
		};

		if (options.signal?.aborted) {
			onAbort();
		}

		options.signal?.addEventListener('abort', onAbort, {once: true});
		socket.once('close', () => {
			options.signal?.removeEventListener('abort', onAbort);
		});
		socket.on('error', fail);
		socket.on('close', () => {
			if (!settled && !reader.complete) {
				fail(new ExplainedError({code: 'ECLOSED', message: `${where} closed the connection`, hint: 'try again'}));
			}
		});
	});
}

/** What a stall looked like: nothing at all, part of the head (shown), or part of the body. */
function stallMessage(where: string, reader: ResponseReader, timeoutMs: number): string {
	if (reader.head === undefined) {
		const partial = reader.partialHead;
		return partial.length === 0
			? `${where} sent nothing for ${timeoutMs} ms`
			: `${where} stopped for ${timeoutMs} ms in the middle of the response head, after ${describeHead(partial)}`;
	}

	return `${where} stopped for ${timeoutMs} ms after ${bodySoFar(reader)}`;
}

/** `1 body byte`, `0 of 1 body bytes`, `5 of 12 body bytes`. */
function bodySoFar(reader: ResponseReader): string {
	if (reader.expected === undefined) {
		return plural(reader.received, 'body byte');
	}

	return `${reader.received.toLocaleString('en-US')} of ${plural(reader.expected, 'body byte')}`;
}
