import xterm from '@xterm/headless';
import {spawn, type IPty} from 'node-pty';
import {childEnv, cliPath, nodePath} from './cli.js';

/**
 * The built CLI in a real pseudo-terminal, its output fed to a headless xterm so tests read the
 * screen a person would see. `CI` is removed from the child's environment (Ink would otherwise
 * print only its final frame).
 */
export class PtyScreen {
	readonly pty: IPty;
	readonly terminal: xterm.Terminal;
	/** Everything the program wrote, escape sequences included. */
	raw = '';
	readonly exited: Promise<number>;

	/** `nodeArgs`: options for node itself, before the CLI (e.g. `--import` a test harness). */
	constructor(args: readonly string[], {columns = 100, rows = 30, nodeArgs = [] as readonly string[], env = {} as Record<string, string>} = {}) {
		this.terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true});
		this.pty = spawn(nodePath, [...nodeArgs, cliPath, ...args], {cols: columns, rows, env: childEnv({TERM: 'xterm-256color', ...env}) as Record<string, string>});
		this.pty.onData(data => {
			this.raw += data;
			this.terminal.write(data);
		});
		this.exited = new Promise(resolve => {
			this.pty.onExit(({exitCode}) => {
				resolve(exitCode);
			});
		});
	}

	/** The visible screen as text, one line per row. */
	async screen(): Promise<string> {
		// Let xterm finish parsing what has arrived.
		await new Promise<void>(resolve => {
			this.terminal.write('', resolve);
		});
		const buffer = this.terminal.buffer.active;
		const lines: string[] = [];
		for (let row = 0; row < this.terminal.rows; row++) {
			lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
		}

		return lines.join('\n');
	}

	/** Resolves with the screen once it satisfies `test`; fails after `timeoutMs` showing the screen. */
	async waitFor(test: (screen: string) => boolean, timeoutMs = 10_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const screen = await this.screen();
			if (test(screen)) {
				return screen;
			}

			if (Date.now() > deadline) {
				throw new Error(`the screen never matched:\n${screen}`);
			}

			// Poll on the program's output, not a fixed sleep: wait for the next write (or 50 ms).
			await new Promise<void>(resolve => {
				const timer = setTimeout(done, 50);
				const subscription = this.pty.onData(done);
				function done(): void {
					clearTimeout(timer);
					subscription.dispose();
					resolve();
				}
			});
		}
	}

	/** Resizes the terminal (the program gets SIGWINCH, as when a person drags the window). */
	resize(columns: number, rows: number): void {
		this.terminal.resize(columns, rows);
		this.pty.resize(columns, rows);
	}

	type(text: string): void {
		this.pty.write(text);
	}

	kill(): void {
		try {
			this.pty.kill('SIGKILL');
		} catch {
			// Already gone.
		}
	}
}
