import type {Command} from './flags.js';

const names: ReadonlySet<string> = new Set<Command>(['serve', 'connect', 'send-udp', 'get', 'relay', 'replay', 'examples']);

/** The command a first argument names; `all` (socket-tui alone) without one; undefined for an unknown word. */
export function commandOf(word: string | undefined): Command | undefined {
	if (word === undefined) {
		return 'all';
	}

	return names.has(word) ? (word as Command) : undefined;
}
