import {UsageError} from '../errors.js';
import {parseTargetAddress} from '../net/address.js';
import type {Flags} from './flags.js';
import type {Io} from './io.js';
import {runEngines, type RunOptions} from './serve.js';

/**
 * `socket-tui relay UPSTREAM`: listens like `serve` (same --host, --port, --allow, --max-clients,
 * --idle-timeout) and passes each client's bytes to UPSTREAM and back, unchanged unless steered
 * (pause, edit, drop, inject, --rewrite). Between two terminals it is a screen with a row per
 * relayed connection; otherwise every read is an event (--json, --log), told as text by default.
 */
export async function runRelay(args: readonly string[], flags: Flags, io: Io, options: RunOptions = {}): Promise<number> {
	if (args.length !== 1) {
		throw new UsageError('relay needs the UPSTREAM to pass connections to, e.g. socket-tui relay 127.0.0.1:8000 --port 8080');
	}

	const upstream = parseTargetAddress(args[0]!, ['tcp', 'tls', 'udp', 'unix'], 'as an upstream');
	return runEngines('relay', {serve: false, relay: {host: upstream.host, port: upstream.port, transport: upstream.transport, ...(upstream.path === undefined ? {} : {path: upstream.path})}}, flags, io, options);
}
