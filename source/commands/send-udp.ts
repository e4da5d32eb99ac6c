import {EventBus} from '../bus.js';
import {configFromFlags} from '../config.js';
import type {Remote} from '../events.js';
import {formatHostPort} from '../net/address.js';
import {exchangeDatagrams} from '../net/udp-send.js';
import {attachLogFile, attachNdjson} from '../sinks/ndjson.js';
import {escapeControls} from '../sinks/text-log.js';
import type {CliFlags, Io} from './run.js';

/**
 * `send-udp HOST:PORT MESSAGE…`: one datagram per message, each reply printed on its own line
 * (or NDJSON with --json). Exit 1 when a reply did not come within --wait.
 */
export async function sendUdp(remote: Remote, messages: readonly string[], flags: CliFlags, io: Io): Promise<number> {
	const config = configFromFlags(flags);
	const {waitMs} = config;
	const bus = new EventBus();
	const detachLog = config.log === undefined ? undefined : attachLogFile(bus, config.log);
	const detachJson = config.json ? attachNdjson(bus, io.stdout) : undefined;
	try {
		const exchanges = await exchangeDatagrams(bus, remote, messages.map(text => Buffer.from(text, 'utf8')), waitMs);
		let missing = 0;
		for (const {reply} of exchanges) {
			if (reply === undefined) {
				missing++;
			} else if (!config.json) {
				// Like nc into a pipe: the reply as it is; on a terminal, control bytes escaped.
				const text = reply.toString('utf8').replace(/\r?\n$/, '');
				io.stdout.write((io.stdout.isTTY ? escapeControls(text) : text) + '\n');
			}
		}

		if (waitMs > 0 && missing > 0) {
			io.stderr.write(`socket-tui: ${missing} of ${exchanges.length} datagrams got no reply from ${formatHostPort(remote.host, remote.port)} within ${waitMs} ms\n`);
			return 1;
		}

		return 0;
	} finally {
		await detachJson?.();
		await detachLog?.();
	}
}
