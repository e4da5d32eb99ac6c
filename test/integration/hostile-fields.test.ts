import {mkdtempSync, readFileSync} from 'node:fs';
import {createSocket} from 'node:dgram';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {SocketEvent} from '../../source/events.js';
import {logLines} from '../../source/protocol/log-lines.js';
import {jsonLine} from '../../source/sinks/json-line.js';
import {describeEvent} from '../../source/sinks/text-log.js';
import {explainer} from '../../source/wording/explain.js';
import {CliProcess, runCliBytes} from '../helpers/cli.js';
import {Peer} from '../helpers/peer.js';

// Every field of every event a real run logs, made hostile, through every text output: the text
// log, --explain and NDJSON never hand a terminal a raw control, C1 or bidi character.

const raw = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const hostile = '\u001B]0;T\u0007\u001B[2J\u009B1m\u202E\r\n';

/** The events of a real run of serve (TCP and UDP), connect, relay and get, as their logs hold them. */
async function recordedEvents(): Promise<SocketEvent[]> {
	const dir = mkdtempSync(join(tmpdir(), 'socket-tui-fields-'));
	const serve = new CliProcess(['serve', '--port', '0', '--json', '--log', join(dir, 'serve.ndjson')]);
	const {port} = JSON.parse(await serve.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
	await serve.waitForLine(line => line.includes('"udp.listening"'));
	await runCliBytes(['connect', `127.0.0.1:${port}`, '--log', join(dir, 'connect.ndjson')], 'Ann\nexit\n');
	const relay = new CliProcess(['relay', `127.0.0.1:${port}`, '--port', '0', '--json', '--log', join(dir, 'relay.ndjson')]);
	const relayPort = (JSON.parse(await relay.waitForLine(line => line.includes('"relay.listening"'))) as {port: number}).port;
	const peer = await Peer.connect(relayPort);
	peer.write('Bob\n');
	await peer.waitForText('Hello, Bob!');
	peer.socket.destroy();
	await relay.waitForLine(line => line.includes('"relay.close"'));
	const udp = createSocket('udp4');
	await new Promise<void>(resolve => udp.send('Sue', port, '127.0.0.1', () => resolve()));
	await serve.waitForLine(line => line.includes('"udp.reply"') || line.includes('"udp.exchange"'));
	udp.close();
	const http = createServer((_request, response) => response.end('ok'));
	await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
	await runCliBytes(['get', `http://127.0.0.1:${(http.address() as {port: number}).port}/x`, '-o', '-', '--log', join(dir, 'get.ndjson')]);
	http.close();
	for (const cli of [serve, relay]) {
		cli.child.kill('SIGTERM');
		await cli.exited;
	}

	return ['serve', 'connect', 'relay', 'get'].flatMap(name => {
		const file = join(dir, `${name}.ndjson`);
		return logLines(readFileSync(file, 'utf8'), file).values.map(({value}) => value as SocketEvent);
	});
}

/** `event` with every string in it (nested too) replaced by hostile text, one field at a time. */
function* hostileVariants(event: SocketEvent): Generator<SocketEvent> {
	const paths: string[][] = [];
	const walk = (value: unknown, path: string[]): void => {
		if (typeof value === 'string' && path[0] !== 'type' && path[0] !== 'base64') {
			paths.push(path);
		} else if (typeof value === 'object' && value !== null) {
			for (const [key, inner] of Object.entries(value)) {
				walk(inner, [...path, key]);
			}
		}
	};

	walk(event, []);
	for (const path of paths) {
		const copy = structuredClone(event) as unknown as Record<string, unknown>;
		let at = copy;
		for (const key of path.slice(0, -1)) {
			at = at[key] as Record<string, unknown>;
		}

		at[path.at(-1)!] = `${String(at[path.at(-1)!])}${hostile}`;
		yield copy as unknown as SocketEvent;
	}
}

describe('every field of every event, made hostile', () => {
	it('reaches the text log, --explain and NDJSON only escaped', async () => {
		const events = await recordedEvents();
		const types = new Set(events.map(event => event.type));
		expect(types.size).toBeGreaterThan(20);
		const explain = explainer();
		const leaks: string[] = [];
		let variants = 0;
		for (const event of events) {
			for (const variant of hostileVariants(event)) {
				variants++;
				for (const [sink, text] of [['text', describeEvent(variant)], ['explain', explain(variant)], ['json', jsonLine(variant).slice(0, -1)]] as const) {
					if (text !== undefined && raw.test(text)) {
						leaks.push(`${sink} ${variant.type}: ${JSON.stringify(text).slice(0, 120)}`);
					}
				}
			}
		}

		expect(variants).toBeGreaterThan(50);
		expect(leaks.slice(0, 10)).toEqual([]);
	}, 60_000);
});
