import {chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';

/** Lines kept; older ones are dropped when the file is written. */
export const maxHistory = 500;

/** `$XDG_STATE_HOME/socket-tui/history`, or `~/.local/state/socket-tui/history`. */
export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
	const base = env['XDG_STATE_HOME'] !== undefined && env['XDG_STATE_HOME'] !== '' ? env['XDG_STATE_HOME'] : join(env['HOME'] ?? homedir(), '.local', 'state');
	return join(base, 'socket-tui', 'history');
}

/** The saved input history, oldest first; empty when there is none or it cannot be read. */
export function loadHistory(file: string): string[] {
	try {
		return readFileSync(file, 'utf8').split('\n').filter(line => line !== '').slice(-maxHistory);
	} catch {
		return [];
	}
}

/**
 * Writes the history (bounded, newest last), readable only by its owner: what a person typed
 * to a server can be private. Written to a temporary file and renamed, so a crash never leaves
 * half a file. Failures are returned, not thrown: history must never stop the app.
 */
export function saveHistory(file: string, lines: readonly string[]): Error | undefined {
	try {
		mkdirSync(dirname(file), {recursive: true, mode: 0o700});
		const temporary = `${file}.${process.pid}.tmp`;
		writeFileSync(temporary, lines.slice(-maxHistory).map(line => line.replaceAll('\n', ' ')).join('\n') + '\n', {mode: 0o600});
		chmodSync(temporary, 0o600);
		renameSync(temporary, file);
		return undefined;
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}
