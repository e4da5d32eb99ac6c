import {readFileSync} from 'node:fs';
import {messageOf, UsageError} from '../errors.js';
import type {EventBus} from '../bus.js';
import {parseEscapes} from '../protocol/escapes.js';
import type {TcpClient} from './tcp-client.js';

/** A line to send: text, or the bytes its escapes stand for (--escapes). */
export type ScriptLine = string | Uint8Array;

/**
 * The lines of --send-file, read before connecting so a bad path or a bad escape fails fast
 * (exit 2). With `escapes`, each line's escapes (escapes.ts) are read into bytes.
 */
export function readScript(file: string, escapes = false): ScriptLine[] {
	let lines: string[];
	try {
		lines = readFileSync(file, 'utf8').split(/\r?\n/);
		if (lines.at(-1) === '') {
			lines.pop();
		}
	} catch (error) {
		throw new UsageError(`cannot read --send-file ${file}: ${messageOf(error)}`);
	}

	if (!escapes) {
		return lines;
	}

	return lines.map((line, index) => {
		try {
			return parseEscapes(line);
		} catch (error) {
			throw new UsageError(`${file}:${index + 1}: ${messageOf(error)}`);
		}
	});
}


export type ScriptOptions = {
	/** Fixed pace between lines; undefined = send each line after the previous reply. */
	readonly intervalMs: number | undefined;
	/** When pacing by replies, how long to wait for one before sending the next line anyway. */
	readonly replyWaitMs: number;
};

/**
 * Sends lines in order through the client: each after the previous reply (or after a fixed
 * interval). Stops early, returning how many were sent, if the connection ends.
 */
export async function sendScript(bus: EventBus, client: TcpClient, lines: readonly ScriptLine[], options: ScriptOptions): Promise<number> {
	let sent = 0;
	for (const text of lines) {
		if (!client.send(text)) {
			break;
		}

		sent++;
		if (sent < lines.length) {
			await pause(bus, client, options);
		}
	}

	return sent;
}

/** Waits for the next reply (or the interval), or the end of the connection. */
async function pause(bus: EventBus, client: TcpClient, {intervalMs, replyWaitMs}: ScriptOptions): Promise<void> {
	await new Promise<void>(resolve => {
		let unsubscribe = (): void => undefined;
		const done = (): void => {
			clearTimeout(timer);
			unsubscribe();
			resolve();
		};

		const timer = setTimeout(done, intervalMs ?? replyWaitMs);
		unsubscribe = bus.subscribe(event => {
			if (event.type === 'client.state' && event.id === client.id && event.state !== 'connected') {
				done();
			} else if (intervalMs === undefined && event.type === 'client.received' && event.id === client.id) {
				done();
			}
		});
	});
}

/**
 * Resolves once every sent message has had a reply, after `quietMs` without one, or when the
 * connection ends: what a script waits for before it disconnects.
 */
export async function settle(bus: EventBus, client: TcpClient, quietMs: number): Promise<void> {
	if (client.state !== 'connected' || client.pendingReplies === 0) {
		return;
	}

	await new Promise<void>(resolve => {
		const timer = setTimeout(done, quietMs);
		const unsubscribe = bus.subscribe(event => {
			if (event.type === 'client.state' && event.id === client.id && event.state !== 'connected') {
				done();
			} else if (event.type === 'client.received' && event.id === client.id) {
				if (client.pendingReplies === 0) {
					done();
				} else {
					timer.refresh();
				}
			}
		});
		function done(): void {
			clearTimeout(timer);
			unsubscribe();
			resolve();
		}
	});
}

/**
 * Resolves at the first message the client hears (the server's greeting, if it has one), when
 * its connection ends, or after `waitMs`. Without `clientId`, any client's (the screen's engines
 * run in another thread, where the client's id is not known).
 */
export async function firstMessage(bus: EventBus, waitMs: number, clientId?: number): Promise<void> {
	await new Promise<void>(resolve => {
		const timer = setTimeout(done, waitMs);
		const unsubscribe = bus.subscribe(event => {
			const ours = (event.type === 'client.received' || event.type === 'client.state') && (clientId === undefined || event.id === clientId);
			if (ours && (event.type === 'client.received' || event.state !== 'connected')) {
				done();
			}
		});
		function done(): void {
			clearTimeout(timer);
			unsubscribe();
			resolve();
		}
	});
}
