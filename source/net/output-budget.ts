/**
 * What all of a server's connections may hold, together, of output queued for peers that do not
 * read (--max-buffer-total): each connection is bounded on its own by --max-buffer, and this
 * bounds the sum, so that many slow readers cannot take the machine's memory between them. Bytes
 * below a socket's high-water mark (16 KB, Node's default) are not counted: they are what any
 * live connection has in flight, and their drain is not announced. The bound is passed by at most
 * the replies to one read per connection: a connection is paused after the write that passed it,
 * and the messages of a read already taken are all answered.
 */
export class OutputBudget {
	#used = 0;

	/** `limit`: bytes, for all connections together. */
	constructor(readonly limit: number) {}

	/** Queued bytes counted now. */
	get used(): number {
		return this.#used;
	}

	/** True while the connections together hold more than the limit. */
	get full(): boolean {
		return this.#used > this.limit;
	}

	/** One connection's counted bytes went from `before` to `after`; returns `after`, its new count. */
	change(before: number, after: number): number {
		this.#used += after - before;
		return after;
	}
}

/** A socket's queued bytes as OutputBudget counts them. */
export function counted(writableLength: number, highWaterMark: number): number {
	return writableLength > highWaterMark ? writableLength : 0;
}
