import {EventBus} from '../bus.js';
import {configFromFlags} from '../config.js';
import {CliError, UsageError} from '../errors.js';
import {startEngine, type Engine, type EngineParts} from '../engine.js';
import {parseTargetAddress} from '../net/address.js';
import {messageOf} from '../errors.js';
import {untilCrash, untilShutdown} from '../lifecycle.js';
import {attachLogFile, attachNdjson} from '../sinks/ndjson.js';
import {attachTextLog} from '../sinks/text-log.js';
import {connectHeadless} from './connect-headless.js';
import {greeting, readScript} from '../net/script.js';
import {localControl, type EngineControl} from '../engine-control.js';
import {startWorkerEngine} from '../worker/worker-engine.js';
import {sendUdp} from './send-udp.js';
import {runGet} from './get.js';
import {checkConnectFlags, parseConnectTarget, runConnectHeadless} from './connect.js';
import {inapplicableFlag, inapplicableMessage, type Command, type Flags} from './flags.js';
import type {Io} from './io.js';
import {historyPath} from '../state/history-file.js';
import {Store} from '../state/store.js';
import type {Mode} from '../ui/App.js';

export type {Io} from './io.js';

export type CliFlags = Flags;

/** How the CLI was started. */
export type RunOptions = {
	/**
	 * The engine thread's script (dist/engine-worker.js), for the screen: its sockets then never
	 * wait behind a frame. Undefined: the engines run in this thread.
	 */
	readonly workerUrl?: URL;
};

/** Runs one CLI invocation; resolves with the exit code. Errors become one line, never a trace. */
export async function run(input: readonly string[], flags: Flags, io: Io, options: RunOptions = {}): Promise<number> {
	try {
		return await dispatch(input, flags, io, options);
	} catch (error) {
		// The exit code comes with the error (errors.ts): 2 for usage, 1 for an explained failure.
		if (error instanceof CliError) {
			const hint = error instanceof UsageError ? '\nRun socket-tui --help for usage.' : '';
			io.stderr.write(`socket-tui: ${error.message}${hint}\n`);
			return error.exitCode;
		}

		io.stderr.write(`socket-tui: unexpected failure: ${messageOf(error)}\n`);
		return 1;
	}
}

const commands = new Set<string>(['serve', 'connect', 'send-udp', 'get']);

async function dispatch(input: readonly string[], flags: Flags, io: Io, options: RunOptions): Promise<number> {
	const [command, ...args] = input;
	if (command === undefined || commands.has(command)) {
		const name = (command ?? 'all') as Command;
		const stray = inapplicableFlag(name, flags);
		if (stray !== undefined) {
			throw new UsageError(inapplicableMessage(name, stray, flags[stray]));
		}
	}

	switch (command) {
		case undefined: {
			expectArgs(command, args, 0);
			return runEngines('all', {serve: true, connect: 'own-server'}, flags, io, options);
		}

		case 'serve': {
			expectArgs(command, args, 0);
			return runEngines('serve', {serve: true}, flags, io, options);
		}

		case 'connect': {
			const target = parseConnectTarget(args, flags.portCheck ?? false);
			checkConnectFlags(flags, target);
			const udp = flags.udp === true || target.transport === 'udp';
			// The screen only between two terminals; otherwise nc (or the --send-file script).
			const screen = io.stdin.isTTY && io.stdout.isTTY && !flags.json && !flags.once && !flags.transcript && !flags.portCheck && !udp;
			if (screen || (flags.sendFile !== undefined && !udp && !flags.portCheck)) {
				return runEngines('connect', {serve: false, connect: {host: target.host, port: target.port}}, flags, io, options);
			}

			return runConnectHeadless({...target, transport: udp ? 'udp' : 'tcp'}, flags, io);
		}

		case 'get': {
			return runGet(args, flags, io);
		}

		case 'send-udp': {
			if (args.length === 0) {
				throw new UsageError('send-udp needs HOST:PORT, then MESSAGEs (or lines on stdin)');
			}

			const target = parseTargetAddress(args[0]!);
			if (target.transport !== 'udp' && args[0]!.includes('://')) {
				throw new UsageError(`send-udp sends datagrams: give HOST:PORT or udp://HOST:PORT, got "${args[0]!}"`);
			}

			return sendUdp(target, args.slice(1), flags, {whole: flags.whole ?? false}, io);
		}

		default: {
			throw new UsageError(`unknown command "${command}" (commands: serve, connect, send-udp, get)`);
		}
	}
}

/** --send-file on the screen: the lines go out once connected and greeted; then it stays interactive. */
async function runScriptWhenConnected(engine: EngineControl, script: readonly string[]): Promise<void> {
	const outcome = await engine.bus.next('client.state', event => event.state !== 'connecting');
	if (outcome.state === 'connected') {
		await greeting(engine.bus, 300);
		await engine.sendScript(script);
	}
}

function expectArgs(command: string | undefined, args: readonly string[], count: number, what = ''): void {
	if (args.length !== count) {
		const name = command ?? 'socket-tui';
		throw new UsageError(count === 0 ? `${name} takes no arguments, got "${args.join(' ')}"` : `${name} needs ${what}`);
	}
}

/**
 * Starts the engines with every sink attached first (so the listening events are the first
 * lines of the log), then runs until a signal.
 */
async function runEngines(mode: Mode, parts: EngineParts, flags: CliFlags, io: Io, options: RunOptions = {}): Promise<number> {
	const config = configFromFlags(flags);
	const bus = new EventBus();
	const screen = io.stdout.isTTY && io.stdin.isTTY && !config.json && !config.once;
	// With the engine thread, the log is written there (off the screen's loop).
	const detachLog = config.log === undefined || (screen && options.workerUrl) ? undefined : attachLogFile(bus, config.log);
	if (screen) {
		// The store listens before the engines start, so it sees them bind.
		const store = new Store(bus);
		const script = config.sendFile === undefined ? undefined : readScript(config.sendFile);
		// Keys typed (or pasted) before the screen is up must wait, raw, for it — not echo and
		// line-buffer in cooked mode. Ink takes raw mode over once mounted, and gives it back.
		io.stdin.setRawMode(true);
		const later = {...parts, connectLater: true};
		// The engine thread starts while this one loads the screen's code (Ink, React: loaded only
		// for the screen, so headless runs start faster), each on its own core.
		const starting = options.workerUrl ? startWorkerEngine(options.workerUrl, {flags, parts: later}, bus) : undefined;
		starting?.catch(() => undefined);
		const {runTui} = await import('./run-screen.js');
		try {
			const engine = starting ? await starting : localControl(await startEngine(config, later, bus));
			if (script && parts.connect) {
				void runScriptWhenConnected(engine, script);
			}

			return await runTui(engine, store, {mode, historyFile: config.history ? historyPath() : undefined});
		} finally {
			io.stdin.setRawMode(false);
			store.dispose();
			await detachLog?.();
		}
	}

	// Without a terminal the default run is a headless server.
	if (mode === 'all') {
		parts = {serve: true};
	}

	const detachOut = config.json ? attachNdjson(bus, io.stdout) : attachTextLog(bus, io.stdout);
	// Listening from the start: stdout can fail on the very first line.
	const shutdown = untilShutdown([io.stdout]);
	const script = config.sendFile === undefined ? undefined : readScript(config.sendFile);
	let engine: Engine | undefined;
	try {
		engine = await startEngine(config, parts, bus);
		if (!parts.serve) {
			return await connectHeadless(engine, config, script, io.stdout);
		}

		const logGone = detachLog?.gone.then(() => 'log-closed' as const) ?? new Promise<never>(() => undefined);
		const outcome = await Promise.race([shutdown, logGone, untilCrash().then(error => ({crash: error}))]);
		if (typeof outcome === 'object') {
			io.stderr.write(`socket-tui: unexpected failure: ${messageOf(outcome.crash)}\n`);
			return 1;
		}
	} finally {
		await engine?.stop();
		await detachOut();
		await detachLog?.();
	}

	return 0;
}
