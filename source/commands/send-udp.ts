import {EventBus} from '../bus.js';
import {configFromFlags, type RawFlags} from '../config.js';
import type {Remote} from '../events.js';
import {formatHostPort} from '../net/address.js';
import {exchangeDatagrams} from '../net/udp-send.js';
import {attachLogFile, attachNdjson} from '../sinks/ndjson.js';
import {DisplayStream} from '../protocol/display-stream.js';
import {watchOutputs} from '../lifecycle.js';
import {plural} from '../format/plural.js';
import type {Io} from './io.js';
import {linesOf, readAll, withoutLineEnding} from './stdin-lines.js';

export type SendUdpOptions = {
	/** --whole: all of stdin is one datagram (otherwise one per line). */
	readonly whole: boolean;
};

/**
 * `send-udp HOST:PORT [MESSAGE…]`: one datagram per message — or, with no message, per line of
 * stdin (its line ending stripped, as an argument has none) — each reply printed on its own line
 * as it comes (or NDJSON with --json). Exit 1 when a reply did not come within --wait.
 */
export async function sendUdp(remote: Remote, messages: readonly string[], flags: RawFlags, options: SendUdpOptions, io: Io): Promise<number> {
	const config = configFromFlags(flags);
	const {waitMs} = config;
	const bus = new EventBus();
	const detachLog = config.log === undefined ? undefined : attachLogFile(bus, config.log);
	const detachJson = config.json ? attachNdjson(bus, io.stdout) : undefined;
	const datagrams = messages.length > 0
		? messages.map(text => Buffer.from(text, 'utf8'))
		: (options.whole ? wholeInput(io.stdin) : stdinLines(io.stdin));
	const outputGone = watchOutputs([io.stdout, io.stderr]);
	try {
		let missing = 0;
		const exchanges = await exchangeDatagrams(bus, remote, untilAborted(datagrams, outputGone.signal), waitMs, ({reply}) => {
			if (reply === undefined) {
				missing++;
			} else if (!config.json) {
				// Like nc into a pipe: the reply's bytes as they are (its own line ending replaced by
				// ours); on a terminal, escaped.
				io.stdout.write(io.stdout.isTTY ? forTerminal(reply) : Buffer.concat([withoutLineEnding(reply), newline]));
			}
		});
		if (outputGone.signal.aborted) {
			return 0;
		}

		if (waitMs > 0 && missing > 0) {
			io.stderr.write(`socket-tui: ${missing} of ${plural(exchanges.length, 'datagram')} got no reply from ${formatHostPort(remote.host, remote.port)} within ${waitMs} ms\n`);
			return 1;
		}

		return 0;
	} finally {
		outputGone.dispose();
		await detachJson?.();
		await detachLog?.();
	}
}

const newline = Buffer.from('\n');

function forTerminal(reply: Buffer): string {
	const display = new DisplayStream();
	return `${display.push(withoutLineEnding(reply)) + display.end()}\n`;
}

/** The datagrams, until nobody reads our output any more. */
async function * untilAborted(datagrams: Iterable<Buffer> | AsyncIterable<Buffer>, signal: AbortSignal): AsyncGenerator<Buffer> {
	for await (const datagram of datagrams) {
		if (signal.aborted) {
			return;
		}

		yield datagram;
	}
}

async function * stdinLines(stdin: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
	for await (const line of linesOf(stdin)) {
		yield withoutLineEnding(line);
	}
}

async function * wholeInput(stdin: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
	yield await readAll(stdin);
}
