import {copyFileSync, constants, mkdirSync, readdirSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ExplainedError, UsageError} from '../errors.js';
import type {Io} from './io.js';

/** The tutorial's programs, in Python 3, shipped in the package's examples/ (beside dist/). */
export function examplesFolder(packageRoot: URL): string {
	return fileURLToPath(new URL('examples/', packageRoot));
}

/**
 * `socket-tui examples [DIR]`: copies the tutorial's Python programs (examples/ in the package)
 * into DIR (default ./socket-tui-examples), never over a file that is there already, and says
 * how to run them. Throws a UsageError for a second argument, an ExplainedError (exit 1) when DIR
 * cannot be written.
 */
export function runExamples(args: readonly string[], packageRoot: URL, io: Io): number {
	if (args.length > 1) {
		throw new UsageError(`examples takes one folder at most, got "${args.join(' ')}"`);
	}

	const from = examplesFolder(packageRoot);
	const to = resolve(args[0] ?? 'socket-tui-examples');
	const programs = readdirSync(from).filter(name => name.endsWith('.py')).sort();
	const copied: string[] = [];
	const kept: string[] = [];
	try {
		mkdirSync(to, {recursive: true});
		for (const name of programs) {
			try {
				copyFileSync(join(from, name), join(to, name), constants.COPYFILE_EXCL);
				copied.push(name);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
					throw error;
				}

				kept.push(name);
			}
		}
	} catch (error) {
		throw new ExplainedError({code: (error as NodeJS.ErrnoException).code ?? 'ERROR', message: `cannot copy the examples to ${to}: ${(error as Error).message}`, hint: 'name a folder you can write to: socket-tui examples DIR'});
	}

	io.stdout.write([
		`The tutorial's programs, in Python 3, are in ${to}${copied.length === 0 ? '' : ` (copied: ${copied.join(', ')})`}${kept.length === 0 ? '' : ` (already there, left as they were: ${kept.join(', ')})`}.`,
		'Try, each in a terminal of its own:',
		`  python3 ${join(to, 'tcp_server.py')} 127.0.0.1 9999     then: socket-tui connect 127.0.0.1:9999`,
		`  socket-tui serve                                         then: python3 ${join(to, 'tcp_client.py')}`,
		`  socket-tui serve                                         then: python3 ${join(to, 'udp_client.py')}`,
		'',
	].join('\n'));
	return 0;
}
