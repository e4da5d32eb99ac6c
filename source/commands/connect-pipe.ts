import {EventBus} from '../bus.js';
import {defaults, type Config} from '../config.js';
import type {Remote} from '../events.js';
import {untilShutdown} from '../lifecycle.js';
import {TcpClient} from '../net/tcp-client.js';
import {DisplayStream} from '../protocol/display-stream.js';
import type {Io} from './io.js';
import {attachPipeSinks, type PipeOutput} from './pipe-sinks.js';
import {toCrlf} from './crlf.js';

/** How `connect` runs without a screen: nc's options. */
export type PipeOptions = PipeOutput & {
	/** Half-close at stdin EOF (ncat's default; --no-shutdown turns it off). */
	readonly shutdown: boolean;
	/** -q: quit this long after stdin EOF (Debian nc); undefined = wait for the peer. */
	readonly quitAfterMs: number | undefined;
	/** --grace: keep forwarding stdin this long after the peer closed (socat's -t). */
	readonly graceMs: number;
	/** -C: send each LF of stdin as CRLF (ncat's --crlf). */
	readonly crlf: boolean;
	/** --once: after stdin EOF, leave as soon as every message has had its reply. */
	readonly once: boolean;
};

const {onceQuietMs, onceSettledMs} = defaults;

/**
 * `connect` like nc: stdin's bytes go to the peer unchanged as they arrive; the peer's bytes go to
 * stdout unchanged (escaped for display when stdout is a terminal). At stdin EOF our side is
 * half-closed and we read on until the peer closes; when the peer closes first, stdin is still
 * forwarded for the grace period. Resolves with the exit code: 0 when the conversation ended
 * normally (or stdout's reader left), 1 when the connection failed or was reset.
 */
export async function connectPipe(remote: Remote, config: Config, options: PipeOptions, io: Io): Promise<number> {
	const bus = new EventBus();
	const sinks = attachPipeSinks(bus, config, options, io);
	const {bytesToStdout} = sinks;
	// Said once on stderr when nothing else tells the user why the run failed.
	const sayFailure = !options.verbose && !options.transcript && !config.json;
	const display = io.stdout.isTTY ? new DisplayStream() : undefined;
	const client = new TcpClient(bus, config);

	let reason: string | undefined;
	const unsubscribe = bus.subscribe(event => {
		if (event.type === 'client.state' && event.id === client.id) {
			reason = event.reason;
		}
	});

	const writeOut = (chunk: Buffer): void => {
		if (!io.stdout.write(display ? display.push(chunk) : chunk)) {
			// A slow reader of our stdout slows the peer down (TCP flow control), never our memory.
			client.pauseReading();
			io.stdout.once('drain', () => {
				client.resumeReading();
			});
		}
	};

	const ended = bus.next('client.state', event => event.id === client.id && event.state !== 'connecting' && event.state !== 'connected');
	const outcome = await client.connect(remote, {halfOpen: true, onBytes: bytesToStdout ? writeOut : undefined});
	let code: number;
	try {
		const logGone = sinks.logGone?.then(() => ({state: 'closed'})) ?? new Promise<never>(() => undefined);
		code = outcome === 'connected' ? await converse(client, bus, options, io, Promise.race([ended, logGone])) : 1;
		if (display) {
			io.stdout.write(display.end());
		}
	} finally {
		unsubscribe();
		client.disconnect();
		await sinks.detach();
	}

	if (code !== 0 && sayFailure && reason !== undefined) {
		io.stderr.write(`socket-tui: ${reason}\n`);
	}

	return code;
}

/** Runs a connected conversation to its end; resolves with the exit code. */
async function converse(client: TcpClient, bus: EventBus, options: PipeOptions, io: Io, ended: Promise<{state: string}>): Promise<number> {
	const {stdin} = io;
	const timers: NodeJS.Timeout[] = [];
	let stdinDone = false;
	let peerDone = false;
	let afterCr = false;
	// For --once: lines sent (a tail without a newline counts at EOF), reply lines since the first.
	let linesSent = 0;
	let unterminated = false;
	let repliesSince = 0;
	let lastHeard = performance.now();

	const onData = (chunk: Buffer): void => {
		for (let index = chunk.indexOf(0x0A); index !== -1; index = chunk.indexOf(0x0A, index + 1)) {
			linesSent++;
		}

		unterminated = chunk.at(-1) !== 0x0A;
		let bytes = chunk;
		if (options.crlf) {
			bytes = toCrlf(chunk, afterCr);
			afterCr = chunk.at(-1) === 0x0D;
		}

		if (!client.write(bytes)) {
			stdin.pause();
			void client.whenDrained().then(() => stdin.resume());
		}
	};

	const onStdinEnd = (): void => {
		if (stdinDone) {
			return;
		}

		stdinDone = true;
		void (async () => {
			if (options.shutdown) {
				await client.shutdown();
			} else {
				await client.whenDrained();
			}

			if (options.once) {
				linesSent += unterminated ? 1 : 0;
				leaveOnceAnswered();
			} else if (options.quitAfterMs !== undefined) {
				timers.push(setTimeout(() => {
					client.disconnect('quit after the end of stdin (-q)');
				}, options.quitAfterMs));
			}
		})();
	};

	// --once: every line has a reply line and the peer has paused (a greeting that came late may
	// count as a reply: the pause covers it), or the peer has been quiet for a while.
	let onceTimer: NodeJS.Timeout | undefined;
	const leaveOnceAnswered = (): void => {
		clearTimeout(onceTimer);
		const quiet = performance.now() - lastHeard;
		const wait = repliesSince >= linesSent ? onceSettledMs : onceQuietMs;
		if (quiet >= wait) {
			client.disconnect('done: every line answered (--once)');
			return;
		}

		onceTimer = setTimeout(leaveOnceAnswered, wait - quiet);
		timers.push(onceTimer);
	};

	const unsubscribe = bus.subscribe(event => {
		if (event.type === 'client.received' && event.id === client.id) {
			lastHeard = performance.now();
			if (linesSent > 0 || stdinDone) {
				repliesSince++;
			}

			if (stdinDone && options.once) {
				leaveOnceAnswered();
			}
		}

		if (event.type === 'client.end' && event.id === client.id && event.by === 'peer' && !peerDone) {
			peerDone = true;
			// With our FIN already sent, the socket closes by itself; otherwise stdin still has
			// the grace period to reach a peer that may only have shut down its writing side.
			if (!stdinDone || !options.shutdown) {
				timers.push(setTimeout(() => {
					client.disconnect('connection closed by the server');
				}, options.graceMs));
			}
		}
	});

	stdin.on('data', onData);
	stdin.once('end', onStdinEnd);
	stdin.once('error', onStdinEnd);
	try {
		const first = await Promise.race([ended, untilShutdown([io.stdout, io.stderr])]);
		return typeof first === 'string' || first.state === 'closed' ? 0 : 1;
	} finally {
		unsubscribe();
		for (const timer of timers) {
			clearTimeout(timer);
		}

		stdin.off('data', onData);
		stdin.off('end', onStdinEnd);
		stdin.off('error', onStdinEnd);
		// stdin may stay open (`(printf 'exit\n'; sleep 30) | …`): it must not keep us running.
		stdin.destroy();
	}
}
