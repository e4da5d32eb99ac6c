import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {join} from 'node:path';
import {unfoldLine} from '../../source/protocol/exchange.js';
import {packageDirectory} from './package-path.js';

/** The CLI under test: the packed tarball as installed by test/global-setup.ts, not dist/ in the tree. */
export const cliPath = join(packageDirectory, 'dist', 'cli.js');

/** The Node that runs the CLI under test: the one running the tests (scripts/test-nodes.js picks 22, then 24). */
export const nodePath = process.execPath;

/** The environment of a child CLI: no CI (Ink would change its output), no colour. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', ...extra};
	delete env['CI'];
	delete env['FORCE_COLOR'];
	return env;
}

/** A running CLI whose stdout lines can be awaited. */
export class CliProcess {
	readonly child: ChildProcessWithoutNullStreams;
	readonly lines: string[] = [];
	stderr = '';
	readonly exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	#partial = '';
	readonly #waiters = new Set<() => void>();

	constructor(args: readonly string[], env = childEnv()) {
		this.child = spawn(nodePath, [cliPath, ...args], {env, stdio: 'pipe'});
		this.child.stdout.setEncoding('utf8');
		this.child.stderr.setEncoding('utf8');
		this.child.stdout.on('data', (chunk: string) => {
			const parts = (this.#partial + chunk).split('\n');
			this.#partial = parts.pop()!;
			this.lines.push(...parts);
			this.#wake();
		});
		this.child.stderr.on('data', (chunk: string) => {
			this.stderr += chunk;
		});
		this.exited = new Promise(resolve => {
			this.child.on('close', (code, signal) => {
				if (this.#partial !== '') {
					this.lines.push(this.#partial);
					this.#partial = '';
				}

				this.#wake();
				resolve({code, signal});
			});
		});
	}

	/** Resolves with the first stdout line matching `test` (seen or to come); rejects if the process exits first. */
	async waitForLine(test: (line: string) => boolean): Promise<string> {
		return new Promise((resolve, reject) => {
			const check = (): void => {
				const found = this.lines.find(line => test(line));
				if (found !== undefined) {
					this.#waiters.delete(check);
					resolve(found);
				} else if (this.child.exitCode !== null) {
					this.#waiters.delete(check);
					reject(new Error(`CLI exited (${this.child.exitCode}) before the line came; stderr: ${this.stderr}`));
				}
			};

			this.#waiters.add(check);
			check();
		});
	}

	/** The NDJSON lines printed so far, parsed as they are (a `conn.exchange` stays one line). */
	lineValues(): Array<{type: string} & Record<string, unknown>> {
		return this.lines.filter(line => line.startsWith('{')).map(line => JSON.parse(line) as {type: string} & Record<string, unknown>);
	}

	/** The NDJSON events printed so far, as a log's reader sees them: each `conn.exchange` / `udp.exchange` line unfolded into its events. */
	events(): Array<{type: string} & Record<string, unknown>> {
		return this.lineValues().flatMap(value => (unfoldLine(value) ?? [value]) as Array<{type: string} & Record<string, unknown>>);
	}

	#wake(): void {
		for (const waiter of this.#waiters) {
			waiter();
		}
	}
}

/** Runs the CLI to completion. */
export async function runCli(args: readonly string[], env = childEnv()): Promise<{code: number | null; stdout: string; stderr: string}> {
	const cli = new CliProcess(args, env);
	cli.child.stdin.end();
	const {code} = await cli.exited;
	return {code, stdout: cli.lines.join('\n'), stderr: cli.stderr};
}

/** A running CLI whose stdout is kept as bytes (for byte-exact, nc-like runs). */
export class RawCliProcess {
	readonly child: ChildProcessWithoutNullStreams;
	#stdout: Buffer[] = [];
	stderr = '';
	readonly exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	readonly #waiters = new Set<() => void>();

	constructor(args: readonly string[], env = childEnv(), cwd?: string) {
		this.child = spawn(nodePath, [cliPath, ...args], {env, stdio: 'pipe', cwd});
		this.child.stdout.on('data', (chunk: Buffer) => {
			this.#stdout.push(chunk);
			this.#wake();
		});
		this.child.stderr.setEncoding('utf8');
		this.child.stderr.on('data', (chunk: string) => {
			this.stderr += chunk;
			this.#wake();
		});
		this.child.stdin.on('error', () => {
			// The CLI may exit before it read all of stdin (that is what some tests check).
		});
		this.exited = new Promise(resolve => {
			this.child.on('close', (code, signal) => {
				this.#wake();
				resolve({code, signal});
			});
		});
	}

	get stdout(): Buffer {
		return Buffer.concat(this.#stdout);
	}

	/** Resolves once `test` holds of (stdout, stderr); rejects if the process exits first. */
	async waitFor(test: (stdout: Buffer, stderr: string) => boolean): Promise<void> {
		return new Promise((resolve, reject) => {
			const check = (): void => {
				if (test(this.stdout, this.stderr)) {
					this.#waiters.delete(check);
					resolve();
				} else if (this.child.exitCode !== null) {
					this.#waiters.delete(check);
					reject(new Error(`CLI exited (${this.child.exitCode}) first; stderr: ${this.stderr}`));
				}
			};

			this.#waiters.add(check);
			check();
		});
	}

	#wake(): void {
		for (const waiter of this.#waiters) {
			waiter();
		}
	}
}

/** Runs the CLI with `stdin` piped in whole, to completion; stdout as bytes. */
export async function runCliBytes(args: readonly string[], stdin: Buffer | string = '', env = childEnv(), cwd?: string): Promise<{code: number | null; stdout: Buffer; stderr: string}> {
	const cli = new RawCliProcess(args, env, cwd);
	cli.child.stdin.end(stdin);
	const {code} = await cli.exited;
	return {code, stdout: cli.stdout, stderr: cli.stderr};
}
