import {readFileSync} from 'node:fs';
import type {EventBus} from '../bus.js';
import type {Draft} from '../events.js';

/** TCP state numbers of /proc/net/tcp (include/net/tcp_states.h): 06 is TIME_WAIT. */
const timeWait = '06';

/** The kernel's count of connections dropped because a listen backlog was full, or undefined off Linux. */
export function listenOverflows(netstat = '/proc/net/netstat'): number | undefined {
	let text: string;
	try {
		text = readFileSync(netstat, 'utf8');
	} catch {
		return undefined;
	}

	const lines = text.split('\n').filter(line => line.startsWith('TcpExt:'));
	const names = lines[0]?.split(/\s+/) ?? [];
	const values = lines[1]?.split(/\s+/) ?? [];
	const index = names.indexOf('ListenOverflows');
	return index === -1 ? undefined : Number(values[index]);
}

/** One socket of the kernel's TCP tables: its local and remote ports, and its state code (`0A` LISTEN, `06` TIME_WAIT). */
type TcpRow = {readonly localPort: number; readonly remotePort: number; readonly state: string};

/** The rows of /proc/net/tcp-style files; undefined when none can be read (not Linux). */
function tcpRows(files: readonly string[]): TcpRow[] | undefined {
	let seen = false;
	const rows: TcpRow[] = [];
	for (const file of files) {
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch {
			continue;
		}

		seen = true;
		for (const line of text.split('\n').slice(1)) {
			const [, local, remote, state] = line.trim().split(/\s+/);
			if (local !== undefined && remote !== undefined && state !== undefined) {
				rows.push({localPort: Number.parseInt(local.split(':')[1] ?? '', 16), remotePort: Number.parseInt(remote.split(':')[1] ?? '', 16), state});
			}
		}
	}

	return seen ? rows : undefined;
}

const tcpTables = ['/proc/net/tcp', '/proc/net/tcp6'];

/** What holds a local TCP port (/proc/net/tcp and tcp6): a listener, or only connections in TIME-WAIT. */
export type PortHolders = {readonly listening: boolean; readonly timeWaitOnly: boolean};

const listenState = '0A';

/** Who holds local TCP `port` now, from the kernel's tables (Linux); undefined elsewhere. */
export function portHolders(port: number, files = tcpTables): PortHolders | undefined {
	const rows = tcpRows(files)?.filter(row => row.localPort === port);
	if (rows === undefined) {
		return undefined;
	}

	const listening = rows.some(row => row.state === listenState);
	return {listening, timeWaitOnly: !listening && rows.length > 0 && rows.every(row => row.state === timeWait)};
}

/**
 * True when a socket between these two ports is in TIME_WAIT (/proc/net/tcp and tcp6), false
 * when none is, undefined when it cannot be seen (not Linux). On loopback both ends are ours to see.
 */
export function inTimeWait(portA: number, portB: number, files = tcpTables): boolean | undefined {
	return tcpRows(files)?.some(({localPort, remotePort, state}) => state === timeWait && ((localPort === portA && remotePort === portB) || (localPort === portB && remotePort === portA)));
}

/**
 * What the kernel did that the tutorial never mentions, for --explain: a listen backlog that
 * overflowed (polled once a second from /proc/net/netstat) and a closed connection's socket left
 * in TIME_WAIT (/proc/net/tcp). Off Linux, one kernel.unseen event says it cannot be seen.
 * `when`: it looks only while this is true (the screen's explain: /proc/net/tcp is read at every
 * close, too much to do unasked under heavy churn). Returns a function that stops it.
 */
export function watchKernel(bus: EventBus, {when = () => true, publish = draft => bus.publish(draft)}: {when?: () => boolean; publish?: (draft: Draft) => void} = {}): () => void {
	const start = listenOverflows();
	if (start === undefined) {
		publish({type: 'kernel.unseen', reason: 'no /proc/net/netstat here (not Linux): the kernel\'s backlog overflows and TIME_WAIT cannot be seen'});
		return () => undefined;
	}

	let last = start;
	// Drops counted while not looking are not news when looking again.
	let looking = true;
	const timer = setInterval(() => {
		if (!when()) {
			looking = false;
			return;
		}

		const now = listenOverflows() ?? last;
		if (!looking) {
			looking = true;
			last = now;
		}

		if (now > last) {
			publish({type: 'kernel.overflow', dropped: now - last, total: now});
			last = now;
		}
	}, 1000);
	timer.unref();
	const ports = new Map<number, [number, number]>();
	const later = new Set<NodeJS.Timeout>();
	/**
	 * Looks for the pair in TIME_WAIT now, then again after each of `delays` (ms) until it is seen:
	 * when we closed first and the peer's FIN comes late, our socket waits in FIN_WAIT_2 first.
	 */
	const look = (id: number, pair: [number, number], delays: readonly number[]): void => {
		if (!when()) {
			return;
		}

		if (inTimeWait(pair[0], pair[1])) {
			publish({type: 'kernel.time-wait', id, localPort: pair[0], peerPort: pair[1]});
			return;
		}

		const [delay, ...rest] = delays;
		if (delay !== undefined) {
			const timer = setTimeout(() => {
				later.delete(timer);
				look(id, pair, rest);
			}, delay);
			timer.unref();
			later.add(timer);
		}
	};

	const unsubscribe = bus.subscribe(event => {
		if (event.type === 'conn.open') {
			ports.set(event.id, [event.local.port, event.peer.port]);
		} else if (event.type === 'conn.close') {
			const pair = ports.get(event.id);
			ports.delete(event.id);
			if (pair) {
				// A reset leaves no TIME_WAIT to wait for.
				look(event.id, pair, event.reason === 'reset' ? [] : timeWaitRetries);
			}
		}
	});
	return () => {
		clearInterval(timer);
		for (const pending of later) {
			clearTimeout(pending);
		}

		unsubscribe();
	};
}

/** When to look again for a socket not yet in TIME_WAIT at its close (ms after the look before). */
const timeWaitRetries = [250, 1000, 3000, 10_000];
