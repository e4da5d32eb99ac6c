import process from 'node:process';
import meow from 'meow';
import {meowFlags, unknownFlag, unknownFlagMessage, type Flags} from './source/commands/flags.js';
import {commandHelp, helpText} from './source/commands/help.js';
import {commandOf} from './source/commands/command-name.js';
import {run} from './source/commands/run.js';

// React's production build: the development one is slower to load and to render. React is
// imported later (only for the screen), so this is seen in time.
process.env['NODE_ENV'] ??= 'production';

/**
 * The command line: flags, then the command. `entryUrl` is the URL of dist/cli.js (bin.ts), beside
 * which the screen's engine thread is built.
 */
export async function main(entryUrl: string): Promise<void> {
	const cli = meow(helpText, {
		importMeta: import.meta,
		// Unknown flags are ours to report, in the same one-line form as every usage error.
		allowUnknownFlags: true,
		// An absent flag stays absent (defaults live in config.ts), so we know what was typed.
		booleanDefault: undefined,
		// --help and -h anywhere (before a `--`) print the help of the command typed, and start nothing.
		autoHelp: false,
		flags: {...meowFlags(), help: {type: 'boolean', shortFlag: 'h'}},
	});

	// A reader that went away (`| head -1`, a closed terminal) is a normal end: each command stops
	// quietly on its own; this keeps Node from turning the stream's error into a stack trace.
	for (const stream of [process.stdout, process.stderr]) {
		stream.on('error', () => undefined);
	}

	if (cli.flags.help === true) {
		// socket-tui --help: all of it; socket-tui serve --help: serve's.
		const command = cli.input[0] === undefined ? undefined : commandOf(cli.input[0]);
		process.stdout.write(command === undefined ? `${cli.help}\n` : commandHelp(command));
		return;
	}

	const unknown = unknownFlag(cli.unnormalizedFlags, process.argv.slice(2));
	if (unknown === undefined) {
		// The screen runs its engines in a thread of their own, built beside this file
		// (SOCKET_TUI_ENGINE_THREAD=main keeps them on the screen's thread: for comparing, in the bench).
		const workerUrl = process.env['SOCKET_TUI_ENGINE_THREAD'] === 'main' ? undefined : new URL('engine-worker.js', entryUrl);
		process.exitCode = await run(cli.input, cli.flags as Flags, {stdin: process.stdin, stdout: process.stdout, stderr: process.stderr}, {workerUrl, packageRoot: new URL('..', entryUrl)});
	} else {
		process.stderr.write(`socket-tui: ${unknownFlagMessage(unknown, cli.input[0])}\nRun socket-tui --help for usage.\n`);
		process.exitCode = 2;
	}
}
