import {isUtf8} from 'node:buffer';
import {createSocket, type RemoteInfo, type Socket} from 'node:dgram';
import type {EventBus} from '../bus.js';
import type {Endpoint, Payload, RelayCloseReason, RelaySide, Remote} from '../events.js';
import {parseHex} from '../protocol/hex-input.js';
import {toPayload} from '../protocol/payload.js';
import {rewrite, rewriteWork, type RewriteRule} from '../protocol/rewrite-rules.js';
import type {RelayDirection, RelaySteer} from '../relay-steer.js';
import type {AllowList} from './allow-list.js';
import {endpoint, formatHostPort, isLoopback, resolveHost} from './address.js';
import {ExplainedError, explainBindError} from './errors.js';

export type UdpRelayOptions = {
	readonly host: string;
	readonly port: number;
	readonly upstream: Remote;
	readonly maxClients: number;
	/** A pair silent both ways this long is forgotten (its upstream socket closed). */
	readonly idleTimeoutMs: number;
	readonly allow?: AllowList;
	readonly captureBytes: number;
	readonly rewrite: readonly RewriteRule[];
	/** Held bytes per direction past which new datagrams that way are dropped (and counted). */
	readonly maxHeldBytes: number;
};

/** How long a UDP pair lives without a datagram either way when --idle-timeout is not given. */
export const udpPairIdleMs = 60_000;

type HeldDatagram = {readonly seq: number; bytes: Buffer; original: Buffer | undefined};

/**
 * `socket-tui relay udp://HOST:PORT`: one UDP socket listens; each client address gets its own
 * upstream socket (as socat's UDP-LISTEN with fork does), so the upstream's replies go back to
 * the client that caused them. Each datagram is one message: it passes unchanged, or is held,
 * edited, dropped or rewritten like a TCP relay's messages. A pair is forgotten after
 * `idleTimeoutMs` without a datagram either way.
 */
export class UdpRelay {
	#socket: Socket | undefined;
	#bound: Endpoint | undefined;
	readonly #pairs = new Map<string, UdpPair>();
	readonly #byId = new Map<number, UdpPair>();
	#nextId = 1;

	constructor(
		private readonly bus: EventBus,
		private readonly options: UdpRelayOptions,
	) {}

	async listen(): Promise<Endpoint> {
		const {host, port} = this.options;
		let socket: Socket;
		try {
			const {address, family} = await resolveHost(host);
			socket = createSocket({type: family === 'IPv6' ? 'udp6' : 'udp4', ipv6Only: false});
			await new Promise<void>((resolve, reject) => {
				socket.once('error', reject);
				socket.bind({address, port, exclusive: true}, () => {
					socket.off('error', reject);
					resolve();
				});
			});
		} catch (error) {
			const explained = explainBindError(error, host, port, 'UDP');
			this.bus.publish({type: 'server.error', host, port, ...explained});
			throw new ExplainedError(explained);
		}

		this.#socket = socket;
		socket.on('error', () => undefined);
		socket.on('message', (message, from) => {
			this.#fromClient(message, from);
		});
		const bound = socket.address();
		this.#bound = endpoint(bound.address, bound.port, bound.family);
		this.bus.publish({type: 'relay.listening', host: this.#bound.address, port: this.#bound.port, family: this.#bound.family, loopback: isLoopback(this.#bound.address), upstream: this.options.upstream, transport: 'udp'});
		return this.#bound;
	}

	get address(): Endpoint | undefined {
		return this.#bound;
	}

	get openCount(): number {
		return this.#pairs.size;
	}

	steer(id: number, command: RelaySteer): boolean {
		return this.#byId.get(id)?.steer(command) ?? false;
	}

	kick(id: number): boolean {
		const pair = this.#byId.get(id);
		pair?.close('kicked');
		return pair !== undefined;
	}

	async close(): Promise<void> {
		for (const pair of [...this.#pairs.values()]) {
			pair.close('shutdown');
		}

		const socket = this.#socket;
		if (socket) {
			await new Promise<void>(resolve => {
				socket.close(() => {
					resolve();
				});
			});
			this.bus.publish({type: 'udp.closed', host: this.#bound!.address, port: this.#bound!.port});
		}
	}

	#fromClient(message: Buffer, from: RemoteInfo): void {
		const key = `${from.address}|${from.port}`;
		let pair = this.#pairs.get(key);
		if (!pair) {
			const peer = endpoint(from.address, from.port, from.family);
			const refused = this.options.allow && !this.options.allow.allows(peer.address) ? 'denied' : (this.#pairs.size >= this.options.maxClients ? 'limit' : undefined);
			if (refused !== undefined) {
				this.bus.publish({type: 'relay.close', id: this.#nextId++, reason: refused, bytesUp: message.length, bytesDown: 0, durationMs: 0, client: peer});
				return;
			}

			const id = this.#nextId++;
			pair = new UdpPair(id, peer, this.#socket!, this.bus, this.options, () => {
				this.#pairs.delete(key);
				this.#byId.delete(id);
			});
			this.#pairs.set(key, pair);
			this.#byId.set(id, pair);
		}

		pair.fromClient(message);
	}
}

/** One client address and its own upstream socket. */
class UdpPair {
	readonly #opened = Date.now();
	readonly #upstream: Socket;
	readonly #started = performance.now();
	#connected = false;
	/** Datagrams from the client before the upstream socket was ready. */
	#early: Buffer[] = [];
	#closed = false;
	#timer: NodeJS.Timeout | undefined;
	#lastActivity = Date.now();
	#seq = 0;
	readonly #bytes = {client: 0, upstream: 0};
	readonly #captured = {client: 0, upstream: 0};
	readonly #paused = {up: false, down: false};
	readonly #held = {up: [] as HeldDatagram[], down: [] as HeldDatagram[]};
	readonly #heldBytes = {up: 0, down: 0};

	constructor(
		readonly id: number,
		private readonly client: Endpoint,
		private readonly listener: Socket,
		private readonly bus: EventBus,
		private readonly options: UdpRelayOptions,
		private readonly onClosed: () => void,
	) {
		const {upstream} = options;
		this.#upstream = createSocket({type: upstream.host.includes(':') ? 'udp6' : 'udp4'});
		const socket = this.#upstream;
		socket.on('message', message => {
			this.#flow('down', message);
		});
		socket.on('error', (error: NodeJS.ErrnoException) => {
			// A connected UDP socket hears ICMP port unreachable as ECONNREFUSED: nobody listens there.
			this.close(error.code === 'ECONNREFUSED' ? 'refused' : (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' ? 'unresolved' : 'upstream-error'), `${formatHostPort(upstream.host, upstream.port)}: ${error.code ?? error.message}`);
		});
		socket.connect(upstream.port, upstream.host, () => {
			this.#connected = true;
			const remote = socket.remoteAddress();
			const local = endpoint(listener.address().address, listener.address().port, listener.address().family);
			this.bus.publish({type: 'relay.open', id, client, local, upstream, upstreamPeer: endpoint(remote.address, remote.port, remote.family), connectMs: Math.round((performance.now() - this.#started) * 100) / 100, transport: 'udp'});
			for (const early of this.#early) {
				this.#flow('up', early);
			}

			this.#early = [];
		});
		this.#armIdleTimer(options.idleTimeoutMs);
	}

	fromClient(message: Buffer): void {
		if (this.#connected) {
			this.#flow('up', message);
		} else {
			this.#early.push(message);
		}
	}

	steer(command: RelaySteer): boolean {
		if (this.#closed || !this.#connected) {
			return false;
		}

		switch (command.kind) {
			case 'pause': {
				this.#setPaused(command.direction, command.paused === 'toggle' ? !this.#paused[command.direction] : command.paused);
				return true;
			}

			case 'release': {
				let released = false;
				do {
					const direction = this.#holding(command.seq);
					if (!direction || !this.#release(direction, command.seq)) {
						break;
					}

					released = true;
				} while (command.all);

				return released;
			}

			case 'drop': {
				const direction = this.#holding(command.seq);
				const index = direction ? this.#indexOf(direction, command.seq) : -1;
				if (!direction || index === -1) {
					return false;
				}

				const [datagram] = this.#held[direction].splice(index, 1);
				this.#heldBytes[direction] -= datagram!.bytes.length;
				this.bus.publish({type: 'relay.drop', id: this.id, from: sideOf(direction), seq: datagram!.seq, bytes: datagram!.bytes.length});
				return true;
			}

			case 'edit': {
				const direction = this.#holding(command.seq);
				const datagram = direction ? this.#held[direction][this.#indexOf(direction, command.seq)] : undefined;
				if (!datagram) {
					return false;
				}

				datagram.original ??= datagram.bytes;
				datagram.bytes = command.hex === undefined ? Buffer.from(command.text ?? '', 'utf8') : parseHex(command.hex);
				return true;
			}

			case 'inject': {
				const bytes = command.base64 === undefined ? Buffer.from(command.text ?? '', 'utf8') : Buffer.from(command.base64, 'base64');
				this.#send(command.direction, bytes, {injected: true});
				return true;
			}
		}
	}

	close(reason: RelayCloseReason, error?: string): void {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		clearTimeout(this.#timer);
		this.#upstream.close();
		const event = {type: 'relay.close', id: this.id, client: this.client, reason, bytesUp: this.#bytes.client, bytesDown: this.#bytes.upstream, durationMs: Date.now() - this.#opened} as const;
		this.bus.publish(error === undefined ? event : {...event, error});
		this.onClosed();
	}

	/** A datagram arrived one way: passed on, rewritten, or held while that way is paused. */
	#flow(direction: RelayDirection, datagram: Buffer): void {
		if (this.#closed) {
			return;
		}

		this.#lastActivity = Date.now();
		this.#bytes[sideOf(direction)] += datagram.length;
		if (!this.#paused[direction]) {
			this.#pass(direction, datagram);
			return;
		}

		if (this.#heldBytes[direction] + datagram.length > this.options.maxHeldBytes) {
			// UDP has no backpressure: past the bound, a datagram is lost, as the kernel would lose it.
			this.bus.publish({type: 'relay.blocked', id: this.id, from: sideOf(direction), blocked: true, heldBytes: this.#heldBytes[direction], limit: this.options.maxHeldBytes});
			return;
		}

		const seq = ++this.#seq;
		this.#held[direction].push({seq, bytes: datagram, original: undefined});
		this.#heldBytes[direction] += datagram.length;
		this.bus.publish({type: 'relay.held', id: this.id, from: sideOf(direction), seq, bytes: datagram.length, ...toPayload(datagram), eol: ''});
	}

	#pass(direction: RelayDirection, datagram: Buffer, extra: Partial<DataExtra> = {}): void {
		const rules = this.options.rewrite.filter(rule => rule.direction === direction);
		if (extra.edited === undefined && rules.length > 0 && isUtf8(datagram)) {
			// A datagram's payload is at most 65,507 bytes (IPv4): a rule cannot make one larger.
			const text = datagram.toString('utf8');
			const result = rewrite(rules, text, this.client, maxDatagramBytes, rewriteWork(text.length));
			if (result !== undefined && 'overflow' in result) {
				this.#send(direction, datagram, {...extra, notRewritten: {rule: result.rule, maxBytes: result.maxBytes, ...(result.work ? {work: true} : {})}});
				return;
			}

			if (result !== undefined) {
				this.#send(direction, result.bytes, {...extra, rewritten: {rule: result.rule, ...toPayload(datagram)}});
				return;
			}
		}

		this.#send(direction, datagram, extra);
	}

	#send(direction: RelayDirection, datagram: Buffer, extra: Partial<DataExtra>): void {
		if (direction === 'up') {
			this.#upstream.send(datagram);
		} else {
			this.listener.send(datagram, this.client.port, this.client.address);
		}

		const side = sideOf(direction);
		const room = this.options.captureBytes - this.#captured[side];
		const kept = room <= 0 ? Buffer.alloc(0) : (room >= datagram.length ? datagram : datagram.subarray(0, room));
		this.#captured[side] += kept.length;
		this.bus.publish({type: 'relay.data', id: this.id, from: side, bytes: datagram.length, captured: kept.length, ...(kept.length === 0 ? {text: ''} : toPayload(kept)), ...extra});
	}

	#setPaused(direction: RelayDirection, paused: boolean): void {
		if (this.#paused[direction] === paused) {
			return;
		}

		this.#paused[direction] = paused;
		this.bus.publish({type: 'relay.pause', id: this.id, from: sideOf(direction), paused});
		if (!paused) {
			while (this.#release(direction, undefined)) {
				// Every held datagram goes, oldest first.
			}
		}
	}

	/** Which way holds `seq` (or, without one, the oldest held datagram). */
	#holding(seq: number | undefined): RelayDirection | undefined {
		if (seq !== undefined) {
			return this.#indexOf('up', seq) === -1 ? (this.#indexOf('down', seq) === -1 ? undefined : 'down') : 'up';
		}

		const up = this.#held.up[0]?.seq ?? Number.POSITIVE_INFINITY;
		const down = this.#held.down[0]?.seq ?? Number.POSITIVE_INFINITY;
		return up === down ? undefined : (up < down ? 'up' : 'down');
	}

	#indexOf(direction: RelayDirection, seq: number | undefined): number {
		return seq === undefined ? (this.#held[direction].length > 0 ? 0 : -1) : this.#held[direction].findIndex(datagram => datagram.seq === seq);
	}

	#release(direction: RelayDirection, seq: number | undefined): boolean {
		const index = this.#indexOf(direction, seq);
		if (index === -1) {
			return false;
		}

		const [datagram] = this.#held[direction].splice(index, 1);
		this.#heldBytes[direction] -= datagram!.bytes.length;
		this.#pass(direction, datagram!.bytes, datagram!.original === undefined ? {released: datagram!.seq} : {released: datagram!.seq, edited: toPayload(datagram!.original)});
		return true;
	}

	/** One timer per pair, re-armed for what is left when datagrams came meanwhile (not one per datagram). */
	#armIdleTimer(delay: number): void {
		this.#timer = setTimeout(() => {
			const quiet = Date.now() - this.#lastActivity;
			if (quiet >= this.options.idleTimeoutMs) {
				this.close('idle');
			} else {
				this.#armIdleTimer(this.options.idleTimeoutMs - quiet);
			}
		}, delay);
		this.#timer.unref();
	}
}

type DataExtra = {released: number; edited: Payload; rewritten: {readonly rule: string} & Payload; notRewritten: {readonly rule: string; readonly maxBytes: number; readonly work?: true}; injected: true};

function sideOf(direction: RelayDirection): RelaySide {
	return direction === 'up' ? 'client' : 'upstream';
}

/** The largest UDP payload over IPv4 (65,535 − 8 UDP − 20 IP header bytes). */
const maxDatagramBytes = 65_507;
