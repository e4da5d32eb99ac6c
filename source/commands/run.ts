import {CliError, LogFileError, messageOf, UsageError} from '../errors.js';
import {parseTargetAddress} from '../net/address.js';
import {terminalSafeMessage} from '../protocol/terminal-safe.js';
import {runConnect} from './connect.js';
import {commandOf} from './command-name.js';
import {inapplicableFlag, inapplicableMessage, type Flags} from './flags.js';
import {runExamples} from './examples.js';
import {runGet} from './get.js';
import {runRelay} from './relay.js';
import {runReplay} from './replay.js';
import type {Io} from './io.js';
import {sendUdp} from './send-udp.js';
import {runServe, type RunOptions} from './serve.js';

export type {Io} from './io.js';
export type {RunOptions} from './serve.js';

/**
 * Runs one CLI invocation: picks the command, refuses flags that do not apply to it, and turns
 * every error into one line and its exit code (errors.ts). Resolves with the exit code.
 */
export async function run(input: readonly string[], flags: Flags, io: Io, options: RunOptions = {}): Promise<number> {
	try {
		return await dispatch(input, flags, io, options);
	} catch (error) {
		// The exit code comes with the error: 2 for usage, 1 for an explained failure.
		if (error instanceof CliError) {
			const hint = error instanceof UsageError && !(error instanceof LogFileError) ? '\nRun socket-tui --help for usage.' : '';
			// The one place errors reach the terminal: what they quote (a typed value, a peer's or a
			// file's text) is shown escaped, never acted on.
			io.stderr.write(`socket-tui: ${terminalSafeMessage(error.message)}${hint}\n`);
			return error.exitCode;
		}

		io.stderr.write(`socket-tui: unexpected failure: ${terminalSafeMessage(messageOf(error))}\n`);
		return 1;
	}
}

async function dispatch(input: readonly string[], flags: Flags, io: Io, options: RunOptions): Promise<number> {
	const [command, ...args] = input;
	const name = command === undefined ? 'all' : commandOf(command);
	if (name !== undefined) {
		const stray = inapplicableFlag(name, flags);
		if (stray !== undefined) {
			throw new UsageError(inapplicableMessage(name, stray, flags[stray]));
		}
	}

	switch (command) {
		case undefined:
		case 'serve': {
			expectArgs(command, args, 0);
			return runServe(command ?? 'all', flags, io, options);
		}

		case 'connect': {
			return runConnect(args, flags, io, options);
		}

		case 'relay': {
			return runRelay(args, flags, io, options);
		}

		case 'replay': {
			return runReplay(args, flags, io);
		}

		case 'get': {
			return runGet(args, flags, io);
		}

		case 'examples': {
			return runExamples(args, options.packageRoot ?? new URL('../../', import.meta.url), io);
		}

		case 'send-udp': {
			if (args.length === 0) {
				throw new UsageError('send-udp needs HOST:PORT, then MESSAGEs (or lines on stdin)');
			}

			const target = parseTargetAddress(args[0]!, ['tcp', 'udp'], 'by send-udp');
			if (target.transport !== 'udp' && args[0]!.includes('://')) {
				throw new UsageError(`send-udp sends datagrams: give HOST:PORT or udp://HOST:PORT, got "${args[0]!}"`);
			}

			return sendUdp(target, args.slice(1), flags, {whole: flags.whole ?? false}, io);
		}

		default: {
			throw new UsageError(`unknown command "${command}" (commands: serve, connect, relay, replay, send-udp, get, examples)`);
		}
	}
}

function expectArgs(command: string | undefined, args: readonly string[], count: number, what = ''): void {
	if (args.length !== count) {
		const name = command ?? 'socket-tui';
		throw new UsageError(count === 0 ? `${name} takes no arguments, got "${args.join(' ')}"` : `${name} needs ${what}`);
	}
}

