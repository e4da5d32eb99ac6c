import {EventBus} from '../bus.js';
import {configFromFlags} from '../config.js';
import {UsageError} from '../errors.js';
import {untilCrash, untilShutdown} from '../lifecycle.js';
import {parseTargetAddress} from '../net/address.js';
import {TcpRelay} from '../net/tcp-relay.js';
import {attachLogFile, attachNdjson} from '../sinks/ndjson.js';
import {attachTextLog} from '../sinks/text-log.js';
import type {Flags} from './flags.js';
import type {Io} from './io.js';

/**
 * `socket-tui relay UPSTREAM`: listens like `serve` (same --host, --port, --allow, --max-clients,
 * --idle-timeout) and passes each client's bytes to UPSTREAM and back, unchanged; every read is
 * an event (--json, --log), told as text otherwise. Runs until a signal or until our output's
 * reader leaves. This first version is headless and TCP only; the screen comes next.
 */
export async function runRelay(args: readonly string[], flags: Flags, io: Io): Promise<number> {
	if (args.length !== 1) {
		throw new UsageError('relay needs the UPSTREAM to pass connections to, e.g. socket-tui relay 127.0.0.1:8000 --port 8080');
	}

	const upstream = parseTargetAddress(args[0]!);
	if (upstream.transport !== 'tcp') {
		throw new UsageError(`relay ${args[0]!}: only TCP upstreams for now (HOST:PORT or tcp://HOST:PORT)`);
	}

	const config = configFromFlags(flags);
	const bus = new EventBus();
	const detachLog = config.log === undefined ? undefined : attachLogFile(bus, config.log);
	const detachOut = config.json ? attachNdjson(bus, io.stdout) : attachTextLog(bus, io.stdout);
	const shutdown = untilShutdown([io.stdout, io.stderr]);
	const relay = new TcpRelay(bus, {
		host: config.host,
		port: config.port,
		backlog: config.backlog,
		upstream: {host: upstream.host, port: upstream.port},
		connectTimeoutMs: config.connectTimeoutMs,
		maxClients: config.maxClients,
		idleTimeoutMs: config.idleTimeoutMs,
		allow: config.allow,
		captureBytes: config.captureBytes,
		framing: config.framing,
		maxLine: config.maxLine,
		idleFlushMs: config.idleFlushMs,
		rewrite: config.rewriteRules,
		maxHeldBytes: config.maxHeldBytes,
	});
	let listening = false;
	try {
		await relay.listen();
		listening = true;
		const logGone = detachLog?.gone.then(() => 'log-closed' as const) ?? new Promise<never>(() => undefined);
		const outcome = await Promise.race([shutdown, logGone, untilCrash().then(error => ({crash: error}))]);
		if (typeof outcome === 'object') {
			io.stderr.write(`socket-tui: unexpected failure: ${String(outcome.crash)}\n`);
			return 1;
		}

		return 0;
	} finally {
		if (listening) {
			await relay.close();
		}

		await detachOut();
		await detachLog?.();
	}
}
