import {spawn, type ChildProcess} from 'node:child_process';
import type {EventBus} from '../bus.js';
import {toPayload} from '../protocol/payload.js';
import type {ServerConnection} from './server-connection.js';

/** `--exec 'PROGRAM ARGS'` (run directly) or `--sh-exec 'COMMAND'` (through /bin/sh -c). */
export type ExecCommand = {readonly command: string; readonly argv: readonly string[]; readonly shell: boolean};

/**
 * Splits `--exec`'s PROGRAM ARGS as a shell would split words, without running one: blanks
 * separate words; '…' and "…" quote (a backslash escapes in "…" and outside quotes). Throws on an
 * unclosed quote. No globbing, variables or redirections: for those there is --sh-exec.
 */
export function splitCommand(text: string): string[] {
	const words: string[] = [];
	let word: string | undefined;
	let quote: '\'' | '"' | undefined;
	for (let index = 0; index < text.length; index++) {
		const character = text[index]!;
		if (quote === '\'') {
			if (character === '\'') {
				quote = undefined;
			} else {
				word += character;
			}
		} else if (character === '\\' && index + 1 < text.length) {
			word = (word ?? '') + text[++index]!;
		} else if (quote === '"') {
			if (character === '"') {
				quote = undefined;
			} else {
				word += character;
			}
		} else if (character === '\'' || character === '"') {
			quote = character;
			word ??= '';
		} else if (/\s/.test(character)) {
			if (word !== undefined) {
				words.push(word);
				word = undefined;
			}
		} else {
			word = (word ?? '') + character;
		}
	}

	if (quote !== undefined) {
		throw new Error(`unclosed ${quote} in "${text}"`);
	}

	if (word !== undefined) {
		words.push(word);
	}

	return words;
}

/**
 * Joins one connection to a program, as ncat -e/-c does: the peer's bytes go to the program's
 * stdin, its stdout goes back to the peer (each chunk a `program` reply), its stderr to the log
 * (conn.stderr). The peer's FIN closes the program's stdin; the program's exit ends the
 * connection (reason `program-exit`) once its output is sent; a connection that goes away
 * ends the program: SIGTERM to its process group (what it started too), then SIGKILL after
 * `execGraceMs` if it is still there (as systemd's and Docker's stop do). The pid and the exit
 * status are events (conn.exec, conn.exit).
 */
export class ExecBridge {
	readonly #child: ChildProcess;
	#exited = false;
	#killTimer: NodeJS.Timeout | undefined;
	#onExit: () => void = () => undefined;
	/** Resolves once the program has exited (or could not start). */
	readonly exited = new Promise<void>(resolve => {
		this.#onExit = resolve;
	});

	constructor(
		private readonly connection: ServerConnection,
		private readonly bus: EventBus,
		exec: ExecCommand,
	) {
		const [program, ...args] = exec.shell ? ['/bin/sh', '-c', exec.command] : exec.argv;
		// A process group of its own (detached): the program and whatever it starts are ended
		// together, and the terminal's Ctrl+C is ours to pass on, not sent to it directly.
		const child = spawn(program!, args, {stdio: ['pipe', 'pipe', 'pipe'], detached: true});
		this.#child = child;
		running.add(this.exited);
		void this.exited.then(() => running.delete(this.exited));
		const {id} = connection;
		child.on('spawn', () => {
			bus.publish({type: 'conn.exec', id, pid: child.pid!, command: exec.command, shell: exec.shell});
		});
		child.stdout!.on('data', (chunk: Buffer) => {
			connection.send(chunk, 'program');
			if (connection.socket.writableNeedDrain) {
				// The peer reads slower than the program writes: the program waits (a pipe fills).
				child.stdout!.pause();
				connection.socket.once('drain', () => child.stdout!.resume());
			}
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			bus.publish({type: 'conn.stderr', id, bytes: chunk.length, ...toPayload(chunk)});
		});
		child.stdin!.on('error', () => undefined); // EPIPE when the program does not read: its exit says why.
		child.on('error', error => {
			this.#ended();
			bus.publish({type: 'conn.exit', id, code: null, signal: null, error: error.message});
			connection.end('program-exit');
		});
		// 'close': its exit, and its stdout and stderr read to the end (all of it sent).
		child.on('close', (code, signal) => {
			if (this.#exited) {
				return;
			}

			this.#ended();
			bus.publish({type: 'conn.exit', id, code, signal});
			connection.end('program-exit');
		});
		// Its exit, even when something it started keeps stdout open: that group is ended too.
		child.on('exit', () => {
			if (this.#killTimer !== undefined) {
				this.#signalGroup('SIGKILL');
			}
		});
	}

	/** The peer's bytes, exactly, to the program; false when its stdin is full (pause the peer). */
	write(chunk: Buffer): boolean {
		return this.#exited ? true : this.#child.stdin!.write(chunk);
	}

	/** Resumes the peer once the program has read what was waiting. */
	onDrain(resume: () => void): void {
		this.#child.stdin!.once('drain', resume);
	}

	/** The peer finished sending: the program's stdin is closed (it sees EOF). */
	endInput(): void {
		this.#child.stdin!.end();
	}

	/** The connection is gone: the program's group is told to stop, and killed if it does not. */
	stop(): void {
		if (this.#exited || this.#killTimer !== undefined) {
			return;
		}

		this.#signalGroup('SIGTERM');
		this.#killTimer = setTimeout(() => {
			this.#signalGroup('SIGKILL');
		}, execGraceMs);
	}

	#signalGroup(signal: NodeJS.Signals): void {
		const {pid} = this.#child;
		if (pid === undefined) {
			return;
		}

		try {
			process.kill(-pid, signal);
		} catch {
			// The group is gone already.
		}
	}

	#ended(): void {
		this.#exited = true;
		clearTimeout(this.#killTimer);
		this.#onExit();
	}
}

/** How long a program has to exit after SIGTERM before it is killed (SIGKILL), in ms. */
export const execGraceMs = 2000;

const running = new Set<Promise<void>>();

/** Resolves once every program started for a connection has exited (shutdown waits for them; at most execGraceMs after each was told to stop). */
export async function programsExited(): Promise<void> {
	await Promise.all([...running]);
}
