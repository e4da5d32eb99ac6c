import type {EventBus} from './bus.js';
import {defaults} from './config.js';
import type {Engine} from './engine.js';
import type {Draft, Remote} from './events.js';
import type {RelaySteer} from './relay-steer.js';
import {formatHostPort} from './net/address.js';
import {exchangeDatagrams} from './net/udp-send.js';
import {sendScript, type ScriptLine} from './net/script.js';
import {Repeater} from './net/repeat.js';

/** What a datagram sent on request got back. */
export type UdpAnswer = {
	/** Where it went, as HOST:PORT. */
	readonly where: string;
	/** The reply's bytes, or undefined when none came within a second. */
	readonly reply: Uint8Array | undefined;
};

/**
 * What the screen may ask of the engines, wherever they run: in this thread (tests, and the
 * headless commands) or in a worker thread (the screen: see worker/). Outcomes come back as
 * events on `bus`; failures to act are rejected promises with a readable message.
 */
export type EngineControl = {
	/** Every event of the engines, in order, with the engines' own timestamps. */
	readonly bus: EventBus;
	/** A line to send, the EOL after it: text (`{seq}` numbered), or bytes the operator's escapes made. */
	readonly clientSend: (text: string | Uint8Array) => void;
	/** Bytes sent exactly as given, no EOL (`/hex`). */
	readonly clientWrite: (bytes: Uint8Array) => void;
	readonly clientConnect: (remote: Remote) => void;
	readonly clientDisconnect: () => void;
	/** The operator's line to one connection; false when it is not open. */
	readonly sendTo: (id: number, text: string | Uint8Array) => Promise<boolean>;
	/** The operator's line to every open connection; resolves with how many got it. */
	readonly broadcast: (text: string | Uint8Array) => Promise<number>;
	/** Closes one connection (a server's, or a relayed one: both its sides). */
	readonly kick: (id: number) => Promise<boolean>;
	/** Steers one relayed connection (relay-steer.ts); false when it is not open or the message is gone. */
	readonly steer: (id: number, command: RelaySteer) => Promise<boolean>;
	/** One datagram from a socket of its own (to `remote`, or our UDP endpoint, or the client's peer). */
	readonly udpExchange: (remote: Remote | undefined, text: string) => Promise<UdpAnswer>;
	/** Sends lines through the client, each after the previous reply (or every `intervalMs`). */
	readonly sendScript: (lines: readonly ScriptLine[]) => Promise<number>;
	/** `/repeat`: the line `count` times, every `intervalMs` (0: as fast as the socket takes them); resolves with how many went. */
	readonly repeat: (count: number, intervalMs: number, line: string | Uint8Array) => Promise<number>;
	/** Stops a running /repeat (its last client.repeat says so). */
	readonly stopRepeat: () => void;
	/** Dials the client's first connection (the screen calls it once it has drawn). */
	readonly startClient: () => void;
	/**
	 * An event seen outside the engines (the screen's watch of the kernel), published on their bus:
	 * the log, written beside the engines, has it, and it comes back on `bus` like theirs.
	 */
	readonly record: (draft: Draft) => void;
	/** Closes every socket; safe to call twice. */
	readonly stop: () => Promise<void>;
};

/** The engines of this thread, as an EngineControl. */
export function localControl(engine: Engine): EngineControl {
	const udpTarget = (): Remote | undefined => {
		const own = engine.udp?.address;
		if (own) {
			return {host: own.address === '0.0.0.0' ? '127.0.0.1' : (own.address === '::' ? '::1' : own.address), port: own.port};
		}

		return engine.client?.remote;
	};

	let repeater: Repeater | undefined;
	return {
		bus: engine.bus,
		async repeat(count, intervalMs, line) {
			const {client} = engine;
			if (!client) {
				return 0;
			}

			repeater?.stop();
			repeater = new Repeater(engine.bus, client, count, intervalMs, line);
			return repeater.done;
		},
		stopRepeat() {
			repeater?.stop();
		},
		clientSend(text) {
			engine.client?.send(text);
		},
		clientWrite(bytes) {
			engine.client?.write(Buffer.from(bytes));
		},
		clientConnect(remote) {
			void engine.client?.connect(remote);
		},
		clientDisconnect() {
			engine.client?.disconnect();
		},
		async sendTo(id, text) {
			return engine.server?.sendTo(id, text) ?? false;
		},
		async broadcast(text) {
			return engine.server?.broadcast(text) ?? 0;
		},
		async kick(id) {
			return engine.server?.kick(id) ?? engine.relay?.kick(id) ?? false;
		},
		async steer(id, command) {
			return engine.relay?.steer(id, command) ?? false;
		},
		async udpExchange(remote, text) {
			const target = remote ?? udpTarget();
			if (!target) {
				throw new Error('no UDP target: /udp HOST:PORT TEXT');
			}

			// From a socket of its own, as a client would: a reply comes back to it, not to our endpoint.
			const [exchange] = await exchangeDatagrams(engine.bus, target, [Buffer.from(text, 'utf8')], defaults.udpCommandWaitMs);
			return {where: formatHostPort(target.host, target.port), reply: exchange?.reply};
		},
		async sendScript(lines) {
			const {client} = engine;
			return client ? sendScript(engine.bus, client, lines, {intervalMs: engine.config.intervalMs, replyWaitMs: defaults.scriptReplyWaitMs}) : 0;
		},
		startClient: engine.startClient,
		record(draft) {
			engine.bus.publish(draft);
		},
		stop: engine.stop,
	};
}
