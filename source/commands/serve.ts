import {EventBus} from '../bus.js';
import {configFromFlags, defaults} from '../config.js';
import {localControl, type EngineControl} from '../engine-control.js';
import {startEngine, type Engine, type EngineParts} from '../engine.js';
import {messageOf} from '../errors.js';
import {untilCrash, untilShutdown} from '../lifecycle.js';
import {firstMessage, readScript, type ScriptLine} from '../net/script.js';
import {attachLogFile, attachNdjson} from '../sinks/ndjson.js';
import {attachTextLog} from '../sinks/text-log.js';
import {attachExplain} from '../sinks/explain.js';
import {watchKernel} from '../net/kernel-watch.js';
import {clock} from '../format/clock.js';
import {historyPath} from '../state/history-file.js';
import {Store} from '../state/store.js';
import type {Mode} from '../ui/screen-state.js';
import {startWorkerEngine} from '../worker/worker-engine.js';
import {connectHeadless} from './connect-headless.js';
import type {Flags} from './flags.js';
import type {Io} from './io.js';

/** How the CLI was started. */
export type RunOptions = {
	/**
	 * The engine thread's script (dist/engine-worker.js), for the screen: its sockets then never
	 * wait behind a frame. Undefined: the engines run in this thread.
	 */
	readonly workerUrl?: URL;
	/** The package's folder (dist/'s parent), where examples/ is shipped. */
	readonly packageRoot?: URL;
};

/**
 * `socket-tui` and `socket-tui serve`: the server and UDP endpoint (and, for `all`, a client
 * connected to them), on the screen between two terminals, headless otherwise.
 */
export async function runServe(mode: 'all' | 'serve', flags: Flags, io: Io, options: RunOptions): Promise<number> {
	if (flags.relay !== undefined) {
		io.stderr.write('socket-tui: --relay is now --chat (a chat room); `socket-tui relay UPSTREAM` watches a client ↔ server conversation\n');
	}

	return runEngines(mode, mode === 'all' ? {serve: true, connect: 'own-server'} : {serve: true}, flags, io, options);
}

/** --send-file on the screen: the lines go out once connected and greeted; then it stays interactive. */
async function runScriptWhenConnected(engine: EngineControl, script: readonly ScriptLine[]): Promise<void> {
	const outcome = await engine.bus.next('client.state', event => event.state !== 'connecting');
	if (outcome.state === 'connected') {
		await firstMessage(engine.bus, defaults.greetingWaitMs);
		await engine.sendScript(script);
	}
}

/**
 * Starts the engines with every sink attached first (so the listening events are the first
 * lines of the log), then runs until a signal.
 */
export async function runEngines(mode: Mode, parts: EngineParts, flags: Flags, io: Io, options: RunOptions = {}): Promise<number> {
	const config = configFromFlags(flags);
	const bus = new EventBus();
	const screen = io.stdout.isTTY === true && io.stdin.isTTY === true && !config.json && !config.once;
	const mockNote = config.mockNotes.length === 0 ? undefined : config.mockNotes.join('; ');
	if (mockNote !== undefined && !screen) {
		io.stderr.write(`socket-tui: ${mockNote}\n`);
	}

	// With the engine thread, the log is written there (off the screen's loop).
	const detachLog = config.log === undefined || (screen && options.workerUrl) ? undefined : attachLogFile(bus, config.log);
	if (screen) {
		// The store listens before the engines start, so it sees them bind.
		// SOCKET_TUI_CLOCK=events pins the screen's clock to the newest event's time, so a run and
		// its replay draw the same frame (the golden test, test/e2e/replay-golden.test.ts).
		const store = new Store(bus, process.env['SOCKET_TUI_CLOCK'] === 'events' ? {clock: 'events'} : {});
		store.inputEscapes = config.escapes;
		store.explain = config.explain;
		if (mockNote !== undefined) {
			store.notify(mockNote, 'warning');
		}

		let stopKernelWatch = (): void => undefined;
		const script = config.sendFile === undefined ? undefined : readScript(config.sendFile, config.escapes);
		// Keys typed (or pasted) before the screen is up must wait, raw, for it — not echo and
		// line-buffer in cooked mode. Ink takes raw mode over once mounted, and gives it back.
		io.stdin.setRawMode(true);
		const later = {...parts, connectLater: true, screenOnly: true};
		// The engine thread starts while this one loads the screen's code (Ink, React: loaded only
		// for the screen, so headless runs start faster), each on its own core.
		const starting = options.workerUrl ? startWorkerEngine(options.workerUrl, {flags, parts: later}, bus) : undefined;
		starting?.catch(() => undefined);
		const {engineDriver, runTui} = await import('./run-screen.js');
		try {
			const engine = starting ? await starting : localControl(await startEngine(config, later, bus));
			// What the kernel did (a full backlog, TIME_WAIT), for explain: looked for while it is on,
			// and published through the engines so that the log has it too.
			stopKernelWatch = watchKernel(bus, {when: () => store.explain, publish: draft => engine.record(draft)});
			if (script && parts.connect) {
				void runScriptWhenConnected(engine, script);
			}

			return await runTui(engineDriver(engine, store), store, {mode, historyFile: config.history ? historyPath() : undefined});
		} finally {
			stopKernelWatch();
			io.stdin.setRawMode(false);
			store.dispose();
			await detachLog?.();
		}
	}

	// Without a terminal the default run is a headless server.
	if (mode === 'all') {
		parts = {serve: true};
	}

	const detachOut = config.explain ? attachExplain(bus, io.stdout, clock) : (config.json ? attachNdjson(bus, io.stdout) : attachTextLog(bus, io.stdout));
	const stopKernelWatch = config.explain ? watchKernel(bus) : undefined;
	// Listening from the start: stdout can fail on the very first line.
	const shutdown = untilShutdown([io.stdout]);
	const script = config.sendFile === undefined ? undefined : readScript(config.sendFile, config.escapes);
	let engine: Engine | undefined;
	try {
		engine = await startEngine(config, parts, bus);
		if (!parts.serve && !parts.relay) {
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
		stopKernelWatch?.();
		await detachOut();
		await detachLog?.();
	}

	return 0;
}
