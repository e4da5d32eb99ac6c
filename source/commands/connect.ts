import type {Remote} from '../events.js';
import {EventBus} from '../bus.js';
import {configFromFlags, defaults, parseDuration} from '../config.js';
import {UsageError} from '../errors.js';
import {AddressError, formatHostPort, parsePort, parseTargetAddress, type Target} from '../net/address.js';
import {watchOutputs} from '../lifecycle.js';
import {probePorts} from '../net/port-probe.js';
import {attachLogFile, attachNdjson} from '../sinks/ndjson.js';
import {connectPipe} from './connect-pipe.js';
import {connectUdp} from './connect-udp.js';
import {flagLabel, type Flags} from './flags.js';
import type {Io} from './io.js';
import {runEngines, type RunOptions} from './serve.js';

/** Ports one `-z` run may check. */
const maxPorts = 65_536;


/** `connect`'s target: `HOST:PORT` or nc's `HOST PORT`; with -z, `HOST LOW-HIGH` or `HOST:LOW-HIGH`. */
export type ConnectTarget = Target & {readonly ports: readonly number[]};

export function parseConnectTarget(args: readonly string[], portCheck: boolean): ConnectTarget {
	if (args.length === 0 || args.length > 2) {
		throw new UsageError(`connect needs HOST:PORT or HOST PORT${portCheck ? ' (with -z, PORT may be a range such as 20-30)' : ''}`);
	}

	const [first, second] = args as [string, string | undefined];
	const rangeAt = portCheck ? /^(.*):(\d+-\d+)$/.exec(first) : null;
	let hostPart: string;
	let portPart: string;
	if (second !== undefined) {
		hostPart = first;
		portPart = second;
	} else if (rangeAt) {
		hostPart = rangeAt[1]!;
		portPart = rangeAt[2]!;
	} else {
		const target = parseTargetAddress(first, ['tcp', 'tls', 'udp', 'unix'], 'by connect');
		return {...target, ports: [target.port]};
	}

	const host = hostPart.startsWith('[') && hostPart.endsWith(']') ? hostPart.slice(1, -1) : hostPart;
	const ports = portCheck ? portRange(portPart) : [parsePort(portPart)];
	// The one-argument form's checks (brackets, schemes) apply to the host part too.
	parseTargetAddress(`${host.includes(':') ? `[${host}]` : host}:${ports[0]}`);
	return {transport: 'tcp', host, port: ports[0]!, ports};
}

function portRange(value: string): number[] {
	const range = /^(\d+)-(\d+)$/.exec(value);
	if (!range) {
		return [parsePort(value)];
	}

	const low = parsePort(range[1]!);
	const high = parsePort(range[2]!);
	if (high < low || high - low + 1 > maxPorts) {
		throw new AddressError(`a port range goes from low to high, e.g. 20-30; got "${value}"`);
	}

	return Array.from({length: high - low + 1}, (_, index) => low + index);
}

/** Flags of connect's TCP stream that mean nothing with -z (a bare handshake) or -u (datagrams). */
const streamOnly = ['quitAfter', 'crlf', 'grace', 'once', 'sendFile', 'interval', 'shutdown'] as const satisfies ReadonlyArray<keyof Flags>;

/**
 * Refuses flags that do not fit the kind of connect asked for (`-z` with `--send-file`, `-u` with
 * `-C`…), and a tcp:// target with -u, in the usage error's one line.
 */
export function checkConnectFlags(flags: Flags, target: Target): void {
	const kind = flags.portCheck ? '-z' : (flags.udp === true || target.transport === 'udp' ? '-u' : undefined);
	if (kind === undefined) {
		return;
	}

	const stray = [...streamOnly, ...(kind === '-z' ? (['transcript', 'udp'] as const) : [])].find(name => flags[name] !== undefined);
	if (stray !== undefined) {
		throw new UsageError(`${flagLabel(stray, flags[stray])} does not apply to connect ${kind}`);
	}

	if (kind === '-u' && target.transport !== 'udp' && flags.udp === true && target.explicit) {
		throw new UsageError(`-u sends datagrams: give HOST:PORT or udp://HOST:PORT, not ${target.transport === 'unix' ? 'unix:' : `${target.transport}://`}`);
	}

	if (kind === '-z' && (target.transport === 'tls' || target.transport === 'unix')) {
		throw new UsageError(`-z checks that a TCP port accepts a connection: give HOST:PORT, not ${target.transport === 'unix' ? 'unix:' : 'tls://'}`);
	}
}

/** What the client dials for a target: host and port, with TLS, or a Unix socket's path. */
function remoteOf(target: Target): Remote {
	if (target.path !== undefined) {
		return {host: target.host, port: target.port, path: target.path};
	}

	return target.transport === 'tls' ? {host: target.host, port: target.port, tls: true} : {host: target.host, port: target.port};
}

/**
 * `connect`: the screen's client between two terminals, or with --send-file the scripted
 * transcript (both through the engines), otherwise nc's behaviours (connect-pipe.ts, -u, -z).
 */
export async function runConnect(args: readonly string[], flags: Flags, io: Io, options: RunOptions): Promise<number> {
	const target = parseConnectTarget(args, flags.portCheck ?? false);
	checkConnectFlags(flags, target);
	const udp = flags.udp === true || target.transport === 'udp';
	const screen = io.stdin.isTTY && io.stdout.isTTY && !flags.json && !flags.once && !flags.transcript && !flags.portCheck && !udp;
	if (screen || (flags.sendFile !== undefined && !udp && !flags.portCheck)) {
		return runEngines('connect', {serve: false, connect: remoteOf(target)}, flags, io, options);
	}

	return runConnectHeadless(udp ? {...target, transport: 'udp'} : target, flags, io);
}

/**
 * `connect` without the screen: nc's behaviours (a byte pipe, -u for UDP, -z to check ports), or
 * with --send-file the scripted transcript (run by the caller).
 */
export async function runConnectHeadless(target: ConnectTarget, flags: Flags, io: Io): Promise<number> {
	const config = configFromFlags(flags);
	if (flags.portCheck) {
		if (target.transport === 'udp') {
			throw new UsageError('-z checks TCP ports only: UDP has no handshake to check');
		}

		return checkPorts(target, config.connectTimeoutMs, config.json, config.log, io);
	}

	const output = {verbose: flags.verbose ?? false, transcript: flags.transcript ?? false};
	if (target.transport === 'udp') {
		return connectUdp(target, config, output, io);
	}

	return connectPipe(remoteOf(target), config, {
		...output,
		shutdown: flags.shutdown ?? true,
		quitAfterMs: flags.quitAfter === undefined || flags.quitAfter.startsWith('-') ? undefined : parseDuration('q', flags.quitAfter),
		graceMs: parseDuration('grace', flags.grace, defaults.graceMs),
		crlf: flags.crlf ?? false,
		once: flags.once ?? false,
	}, io);
}

async function checkPorts(target: ConnectTarget, timeoutMs: number, json: boolean, log: string | undefined, io: Io): Promise<number> {
	const bus = new EventBus();
	const detachLog = log === undefined ? undefined : attachLogFile(bus, log);
	const detachJson = json ? attachNdjson(bus, io.stdout) : undefined;
	const outputGone = watchOutputs([io.stdout, io.stderr]);
	try {
		const results = await probePorts(target.host, target.ports, timeoutMs, outputGone.signal, probe => {
			bus.publish({type: 'port.check', ...probe});
			if (!json && !outputGone.signal.aborted) {
				const where = formatHostPort(probe.host, probe.port);
				io.stdout.write(probe.open ? `${where} open (${probe.ms} ms)\n` : `${where} closed (${probe.reason})\n`);
			}
		});
		return outputGone.signal.aborted || results.some(probe => probe.open) ? 0 : 1;
	} finally {
		outputGone.dispose();
		await detachJson?.();
		await detachLog?.();
	}
}
