import {chmodSync, lstatSync, unlinkSync} from 'node:fs';
import {connect, type Server} from 'node:net';
import type {EventBus} from '../bus.js';
import {formatRemote} from '../format/host-port.js';
import {ExplainedError, type Explained} from './errors.js';

/** An abstract-namespace name (Linux) has no file: nothing to check, chmod or remove. */
function isAbstract(path: string): boolean {
	return path.startsWith('\0');
}

/** True when something accepts connections on the socket file (a live server). */
async function answers(path: string): Promise<boolean> {
	return new Promise(resolve => {
		const probe = connect({path});
		probe.once('connect', () => {
			probe.destroy();
			resolve(true);
		});
		probe.once('error', () => {
			resolve(false);
		});
	});
}

/**
 * Makes room for a Unix socket at `path`: a stale socket file (its server is gone: nothing
 * answers) is removed; a live one, or anything that is not a socket (a regular file, a
 * directory), is left alone and refused with an ExplainedError. Returns true when a stale file
 * was removed.
 */
async function clearStale(path: string): Promise<boolean> {
	let stat;
	try {
		stat = lstatSync(path);
	} catch {
		return false; // Nothing there.
	}

	const where = formatRemote({host: '', port: 0, path});
	if (!stat.isSocket()) {
		throw new ExplainedError({code: 'EEXIST', message: `${where} exists and is not a socket`, hint: 'it is left untouched; choose another path'});
	}

	if (await answers(path)) {
		throw new ExplainedError({code: 'EADDRINUSE', message: `${where} is in use: a server answers there`, hint: 'stop that server, or choose another path'});
	}

	unlinkSync(path);
	return true;
}

/**
 * `serve --unix PATH`: listens on a Unix socket instead of TCP (a stale file from a dead
 * server is replaced; `mode`, e.g. 0o600, is set on the file, as --unix-mode says). Failures
 * are published as server.error and thrown. Returns a function that removes the file after
 * the server has closed.
 */
export async function listenUnix(server: Server, bus: EventBus, {path, backlog, mode}: {readonly path: string; readonly backlog: number; readonly mode?: number}): Promise<{readonly replacedStale: boolean; readonly remove: () => void}> {
	const where = formatRemote({host: '', port: 0, path});
	let replacedStale = false;
	try {
		replacedStale = isAbstract(path) ? false : await clearStale(path);
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen({path, backlog, exclusive: true}, () => {
				server.off('error', reject);
				resolve();
			});
		});
		if (mode !== undefined && !isAbstract(path)) {
			chmodSync(path, mode);
		}
	} catch (error) {
		const explained: Explained = error instanceof ExplainedError ? error.explained : {code: (error as NodeJS.ErrnoException).code ?? 'ERROR', message: `cannot listen on ${where}: ${(error as Error).message}`, hint: 'check the directory exists and is writable'};
		bus.publish({type: 'server.error', host: where, port: 0, ...explained});
		throw error instanceof ExplainedError ? error : new ExplainedError(explained);
	}

	return {
		replacedStale,
		remove() {
			if (isAbstract(path)) {
				return;
			}

			try {
				if (lstatSync(path).isSocket()) {
					unlinkSync(path);
				}
			} catch {
				// Already gone.
			}
		},
	};
}
