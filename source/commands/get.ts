import {parseProxy} from '../protocol/address-grammar.js';
import {createWriteStream} from 'node:fs';
import {PassThrough, type Writable} from 'node:stream';
import {EventBus} from '../bus.js';
import {defaults, integer, tlsClientOptions} from '../config.js';
import {UsageError, messageOf} from '../errors.js';
import {ExplainedError} from '../net/errors.js';
import {fetchOnce, OutputClosedError, type FetchOptions} from '../net/http/fetch-once.js';
import {header, type ResponseHead} from '../net/http/response-reader.js';
import {defaultFileName, parseHeaderFlag, parseTarget, TargetError, type HttpTarget} from '../net/http/target.js';
import {terminalSafe} from '../protocol/terminal-safe.js';
import {attachLogFile, attachNdjson} from '../sinks/ndjson.js';
import {watchOutputs} from '../lifecycle.js';
import {plural} from '../format/plural.js';
import type {Flags} from './flags.js';
import {commit, destinationFor, discard, writtenFile} from './get-destination.js';
import type {Io} from './io.js';

export type GetFlags = Flags;

/**
 * `get URL`: the tutorial's raw HTTP GET, done properly. The head goes to stderr, the body to a
 * file (or stdout with -o -) through a temporary file that is renamed only when the body is
 * whole, so a failed download never leaves a partial file behind as if complete.
 */
export async function runGet(args: readonly string[], flags: GetFlags, io: Io): Promise<number> {
	if (args.length !== 1) {
		throw new UsageError('get needs one URL, e.g. socket-tui get http://127.0.0.1:8000/');
	}

	let target: HttpTarget;
	let headers: Array<[string, string]>;
	try {
		target = parseTarget(args[0]!);
		headers = (flags.header ?? []).map(value => parseHeaderFlag(value));
	} catch (error) {
		throw error instanceof TargetError ? new UsageError(error.message) : error;
	}

	if (flags.output === '') {
		throw new UsageError('-o needs a file name (or - for stdout)');
	}

	// Nobody reads our output any more (`get … -o - | head -c 10`): stop quietly, exit 0.
	const outputGone = watchOutputs([io.stdout, io.stderr]);
	let options: FetchOptions = {raw: flags.raw ?? false, timeoutMs: integer('timeout', flags.timeout, defaults.getTimeoutMs, 1, 3_600_000), tls: tlsClientOptions(flags), headers, signal: outputGone.signal, ...(flags.proxy === undefined ? {} : {proxy: parseProxy(flags.proxy)})};
	const typed = target;
	const maxRedirects = integer('max-redirects', flags.maxRedirects, defaults.maxRedirects, 0, 100);
	const toStdout = flags.output === '-';
	const json = flags.json ?? false;
	const bus = new EventBus();
	// Events go to stdout, unless the body does.
	const detachJson = json ? attachNdjson(bus, toStdout ? io.stderr : io.stdout) : undefined;
	const detachLog = flags.log === undefined ? undefined : attachLogFile(bus, flags.log);
	// Ink only on a terminal: loaded on demand, so a piped `get` starts faster and smaller.
	// A terminal of fewer than two rows (or of no known size) cannot hold Ink's line: Ink would
	// clear the whole screen on every frame. No progress line there.
	const progress = !json && io.stderr.isTTY && (io.stderr.rows ?? 0) >= 2 ? (await import('../ui/get-progress-line.js')).startProgress(bus, io.stderr) : undefined;
	const say = (line: string): void => {
		if (!json && !outputGone.signal.aborted) {
			progress?.clear();
			io.stderr.write(line + '\n');
		}
	};

	try {
		for (let redirects = 0; ; redirects++) {
			const named = flags.output === undefined;
			const destination = toStdout ? undefined : destinationFor(flags.output ?? defaultFileName(typed, target, flags.trustServerNames ?? false), !named);
			let kept = false;
			let body: Writable | undefined;
			const bodyFor = (head: ResponseHead): Writable | undefined => {
				for (const line of head.lines) {
					say(terminalSafe(line));
				}

				say('');
				const followed = flags.location && isRedirect(head.status) && header(head, 'location') !== undefined;
				if (followed || head.status >= 400 || (isRedirect(head.status) && !flags.raw)) {
					return undefined; // Not the resource: nothing to keep.
				}

				kept = true;
				if (destination === undefined) {
					body = stdoutSink(io.stdout);
					return body;
				}

				const file = createWriteStream(writtenFile(destination));
				// A write that fails (disk full) is told once the transfer ends; one that fails
				// because we destroyed the stream (the transfer failed) is expected.
				file.on('error', error => {
					fileError ??= error;
				});
				body = file;
				return body;
			};

			let fileError: Error | undefined;
			let result;
			try {
				result = await fetchOnce(bus, target, options, bodyFor);
			} catch (error) {
				if (destination !== undefined) {
					// The file stream opens in the background: once it has closed, the file (if it
					// was ever created) is there to remove, and nothing creates it afterwards.
					if (body && !body.closed) {
						const closed = new Promise(resolve => body!.once('close', resolve));
						body.destroy();
						await closed;
					}

					discard(destination);
				}

				throw error;
			}

			const {head} = result;
			const location = header(head, 'location');
			if (isRedirect(head.status) && location !== undefined && !flags.raw) {
				bus.publish({type: 'http.redirect', url: target.shown, status: head.status, location});
				if (!flags.location) {
					say(`socket-tui: ${head.status} redirect to ${terminalSafe(location)} — add -L to follow it`);
					return 1;
				}

				if (redirects >= maxRedirects) {
					say(`socket-tui: more than ${maxRedirects} redirects — stopped at ${terminalSafe(location)}`);
					return 1;
				}

				const next = parseTarget(location, target.url);
				if (next.url.origin !== target.url.origin && !(flags.locationTrusted ?? false)) {
					// Credentials given for one host never go to another (curl: unless --location-trusted).
					const kept = options.headers.filter(([name]) => !credentialHeaders.has(name.toLowerCase()));
					if (kept.length < options.headers.length) {
						say(`socket-tui: not sending ${options.headers.filter(entry => !kept.includes(entry)).map(([name]) => name).join(', ')} to ${terminalSafe(next.url.origin)} (another host than the one you gave them for; --location-trusted sends them)`);
						options = {...options, headers: kept};
					}
				}

				target = next;
				continue;
			}

			if (head.status >= 400) {
				say(`socket-tui: the server answered ${head.status} ${terminalSafe(head.reason)}; nothing saved`);
				return 1;
			}

			// Everything written reached the file (or its write failed): a write stream that
			// errors ends with 'close', never 'finish'.
			if (kept && destination !== undefined && body && !body.writableFinished && !body.closed) {
				await new Promise(resolve => {
					body!.once('finish', resolve);
					body!.once('close', resolve);
				});
			}

			if (fileError !== undefined && destination !== undefined) {
				discard(destination);
				say(`socket-tui: cannot write ${terminalSafe(destination.file)}: ${messageOf(fileError)}; nothing saved`);
				return 1;
			}

			if (kept && destination !== undefined) {
				const file = commit(destination);
				bus.publish({type: 'http.saved', url: target.shown, file, bytes: result.bytes});
				const taken = file === destination.file ? '' : `; ${terminalSafe(destination.file)} exists`;
				say(`saved ${plural(result.bytes, 'byte')} to ${terminalSafe(file)}${named ? ` (named from the URL${flags.trustServerNames ? ' the server gave' : ' you gave'}${taken}; -o NAME to choose)` : ''}`);
			}

			return 0;
		}
	} catch (error) {
		if (error instanceof OutputClosedError) {
			return 0;
		}

		if (error instanceof ExplainedError) {
			bus.publish({type: 'http.error', url: target.shown, ...error.explained});
		}

		throw error;
	} finally {
		outputGone.dispose();
		progress?.stop();
		await detachJson?.();
		await detachLog?.();
	}
}

/** Request headers that carry credentials: dropped on a redirect to another origin (RFC 9110 §15.4; curl's rule). */
const credentialHeaders: ReadonlySet<string> = new Set(['authorization', 'cookie', 'proxy-authorization']);

function isRedirect(status: number): boolean {
	return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Stdout as the body's destination, with backpressure; stdout itself is never ended. */
function stdoutSink(stdout: NodeJS.WriteStream): Writable {
	const pass = new PassThrough();
	pass.pipe(stdout, {end: false});
	return pass;
}
