import {isUtf8} from 'node:buffer';
import type {Socket} from 'node:net';
import type {EventBus} from '../bus.js';
import type {CloseReason, Endpoint, Framing, ReplyKind} from '../events.js';
import {lineFeed, type FramedMessage} from '../protocol/framing.js';
import {createFramer, type MessageFramer} from '../protocol/framers.js';
import {binaryFraming, encodeFrame, type BinaryFraming} from '../protocol/binary-framing.js';
import {replyLength, type Reply, type Responder} from '../protocol/greeting.js';
import {framed, toPayload} from '../protocol/payload.js';
import {messageOf} from './errors.js';
import {ExecBridge, type ExecCommand} from './exec-bridge.js';
import {counted, type OutputBudget} from './output-budget.js';

export type ConnectionLimits = {
	readonly framing: Framing;
	readonly maxLine: number;
	/** Output bytes buffered for a peer before we stop reading from it. */
	readonly maxBuffer: number;
	/** What all connections may buffer together (--max-buffer-total); over it, a peer holding more than a socket's high-water mark is paused too. */
	readonly budget?: OutputBudget;
	readonly idleFlushMs: number;
	/** How long a connection we ended may wait for the peer's FIN before it is destroyed. */
	readonly lingerMs: number;
	/** Close a connection silent (no byte either way) for this long; 0 = never. */
	readonly idleTimeoutMs: number;
};

/** How long one connection's messages may be answered in one turn of the event loop (ms). */
const sliceMs = 4;

/** The least a write of a waiting reply sends (bytes): small pieces would cost an event each. */
const minimumPiece = 64 * 1024;

/**
 * Where to cut `bytes` to send at most `room` of them: not inside a UTF-8 sequence when the cut
 * can move back to one's start (at most 3 bytes), so the pieces of a text reply stay text.
 */
function pieceEnd(bytes: Buffer, room: number): number {
	let cut = room;
	while (cut > room - 3 && (bytes[cut]! & 0xC0) === 0x80) {
		cut--;
	}

	return (bytes[cut]! & 0xC0) === 0x80 ? room : cut;
}

const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * One accepted TCP connection: frames what arrives, answers through the responder, publishes
 * every step on the bus, and keeps its memory bounded (line limit, output limit → pause).
 */
export class ServerConnection {
	/** False for a connection refused over a limit (it only gets a notice). */
	accepted = true;
	bytesIn = 0;
	bytesOut = 0;
	messagesIn = 0;
	readonly #opened = Date.now();
	readonly #framer: MessageFramer;
	#reason: CloseReason | undefined;
	#error: string | undefined;
	#closing = false;
	#paused = false;
	/** This connection's queued output as the server's OutputBudget counts it. */
	#counted = 0;
	/** The clock reading of the read being handled (0 outside one): its events share it. */
	#readTs = 0;
	/** Replies (or their rest) that did not fit under --max-buffer, in order (see send). */
	readonly #waiting: Array<{bytes: Buffer; kind: ReplyKind}> = [];
	#waitingBytes = 0;
	/** end() came while replies were waiting: the FIN goes after them. */
	#endWhenWritten = false;
	/** Messages of a read past this turn's time slice, with the read's time (see #take). */
	readonly #backlog: Array<{readonly message: FramedMessage; readonly ts: number}> = [];
	/** The next backlog message to answer. */
	#backlogHead = 0;
	#backlogScheduled = false;
	#sliceCount = 0;
	#sliceStart = 0;
	/** --exec: the program this connection talks to. */
	#bridge: ExecBridge | undefined;
	/** --framing len:/delim: what we send is framed the same way. */
	readonly #binary: BinaryFraming | undefined;

	constructor(
		readonly id: number,
		readonly socket: Socket,
		readonly peer: Endpoint,
		private readonly bus: EventBus,
		private readonly responder: Responder,
		private readonly limits: ConnectionLimits,
		private readonly onClosed: (connection: ServerConnection) => void,
		/** Called with each whole message, for the chat room (--chat). */
		private readonly onRelay?: (from: ServerConnection, message: Buffer) => void,
		/** --exec/--sh-exec: a program per connection answers instead of the responder. */
		private readonly exec?: ExecCommand,
	) {
		this.#binary = binaryFraming(limits.framing);
		this.#framer = createFramer({
			framing: limits.framing,
			maxLine: limits.maxLine,
			idleFlushMs: limits.idleFlushMs,
			onMessage: message => {
				this.#take(message);
			},
			onOverflow: size => {
				this.bus.publish({
					type: 'conn.warning',
					id,
					kind: 'line-too-long',
					// With --framing chunk or a length prefix, what grew too long is a message, not a line.
					detail: `${limits.framing === 'line' ? 'line' : 'message'} longer than ${limits.maxLine} bytes (${size}+ so far); delivered in pieces`,
				});
			},
		});
		socket.on('data', this.#onData);
		socket.on('end', this.#onEnd);
		socket.on('error', this.#onError);
		socket.on('close', this.#onClose);
		socket.on('drain', this.#onDrain);
		if (limits.idleTimeoutMs > 0) {
			socket.setTimeout(limits.idleTimeoutMs, this.#onIdle);
		}
	}

	/** Greets the peer, as the protocol says (or starts its program, with --exec). */
	start(): void {
		if (this.exec) {
			this.#bridge = new ExecBridge(this, this.bus, this.exec);
			return;
		}

		const welcome = this.responder.welcome();
		if (welcome) {
			this.send(welcome, 'welcome');
		}
	}

	/**
	 * Writes bytes (a string: its UTF-8) to the peer and publishes what was sent. With a length
	 * prefix or delimiter framing, what we say goes in the same framing (a program's output, with
	 * --exec, is its own business and goes as it is).
	 *
	 * A reply is never queued past --max-buffer: what does not fit (a recorded 100 MB answer, for
	 * --mock) waits, unread and uncopied, and goes as the peer reads; replies after it wait behind
	 * it, and reading from the peer is paused until it is all sent, so one peer's answers cost the
	 * server at most --max-buffer however large they are (Hostile input III §3). Each piece is
	 * published when it is written: the log shows what went to the socket, when.
	 */
	send(reply: Reply, kind: ReplyKind): void {
		if (this.socket.destroyed || !this.socket.writable) {
			return;
		}

		if (this.#binary && kind !== 'program') {
			reply = encodeFrame(this.#binary, typeof reply === 'string' ? Buffer.from(reply, 'utf8') : reply);
		}

		if (this.#waiting.length > 0) {
			this.#waiting.push({bytes: typeof reply === 'string' ? Buffer.from(reply, 'utf8') : reply, kind});
			this.#waitingBytes += replyLength(reply);
			return;
		}

		this.#write(reply, kind);
	}

	/** Output queued for the peer: in the socket and waiting to be written (bytes). */
	get queuedBytes(): number {
		return this.socket.writableLength + this.#waitingBytes;
	}

	/** Writes what fits of `reply` under --max-buffer; the rest waits at the head of #waiting. */
	#write(reply: Reply, kind: ReplyKind): void {
		const room = Math.max(this.limits.maxBuffer - this.socket.writableLength, minimumPiece);
		const length = replyLength(reply);
		if (length > room) {
			const bytes = typeof reply === 'string' ? Buffer.from(reply, 'utf8') : reply;
			const cut = pieceEnd(bytes, room);
			this.#waiting.unshift({bytes: bytes.subarray(cut), kind});
			this.#waitingBytes += bytes.length - cut;
			reply = bytes.subarray(0, cut);
		}

		this.socket.write(reply);
		const written = replyLength(reply);
		this.bytesOut += written;
		const ts = this.#now();
		if (typeof reply === 'string') {
			this.bus.emit({type: 'conn.reply', ts, id: this.id, kind, text: reply});
		} else {
			const text = reply.toString('utf8');
			this.bus.emit(isUtf8(reply)
				? {type: 'conn.reply', ts, id: this.id, kind, text}
				: {type: 'conn.reply', ts, id: this.id, kind, text, base64: reply.toString('base64')});
		}

		this.bus.emit({type: 'conn.write', ts, id: this.id, bytes: written});
		const {budget} = this.limits;
		const queued = this.socket.writableLength;
		if (budget) {
			this.#counted = budget.change(this.#counted, counted(queued, this.socket.writableHighWaterMark));
		}

		if (this.#paused) {
			return;
		}

		if (this.#waiting.length > 0) {
			// The rest goes as the peer reads; what it sends meanwhile waits in the kernel (TCP backpressure).
			this.#pause(`the reply is ${length} bytes; it is sent as the peer reads, ${this.limits.maxBuffer} bytes at a time (--max-buffer), and reading is paused until it is all sent`);
		} else if (queued > this.limits.maxBuffer) {
			// The peer is not reading: stop reading from it until it does (TCP backpressure).
			this.#pause(`peer is not reading (${queued} bytes waiting); paused until it drains`);
		} else if (budget?.full && this.#counted > 0) {
			// Many peers do not read: together they hold the server's whole output budget.
			this.#pause(`peer is not reading (${queued} bytes waiting), and the server's connections hold ${budget.used} bytes of output in all (--max-buffer-total ${budget.limit}); paused until it drains`);
		}
	}

	/** After a drain: writes waiting replies while the socket has room and the budget allows. */
	#writeWaiting(): void {
		while (this.#waiting.length > 0 && !this.socket.destroyed && this.socket.writable) {
			const queued = this.socket.writableLength;
			if (queued >= this.limits.maxBuffer || (this.limits.budget?.full && counted(queued, this.socket.writableHighWaterMark) > 0)) {
				return;
			}

			const {bytes, kind} = this.#waiting.shift()!;
			this.#waitingBytes -= bytes.length;
			this.#write(bytes, kind);
		}

		if (this.#waiting.length === 0 && this.#endWhenWritten) {
			this.#endWhenWritten = false;
			this.#endSocket();
		}
	}

	#dropWaiting(): void {
		this.#waiting.length = 0;
		this.#waitingBytes = 0;
		this.#endWhenWritten = false;
	}

	#pause(detail: string): void {
		this.#paused = true;
		this.socket.pause();
		this.bus.publish({type: 'conn.warning', id: this.id, kind: 'slow-reader', detail});
	}

	/** Closes gracefully (FIN after pending output) with a reason. */
	end(reason: CloseReason): void {
		if (this.#closing) {
			return;
		}

		this.#reason ??= reason;
		this.#closing = true;
		this.#framer.dispose();
		if (this.#waiting.length > 0) {
			// A half-closed peer still reads: the FIN goes after the reply it is reading.
			this.#endWhenWritten = true;
			return;
		}

		this.#endSocket();
	}

	#endSocket(): void {
		this.socket.end();
		// A peer that never closes its side must not hold the descriptor for ever.
		setTimeout(() => this.socket.destroy(), this.limits.lingerMs).unref();
	}

	/** Closes at once (kick, shutdown). */
	destroy(reason: CloseReason): void {
		this.#reason ??= reason;
		this.#closing = true;
		this.#dropWaiting();
		this.#framer.dispose();
		this.socket.destroy();
	}

	get open(): boolean {
		return !this.#closing;
	}

	readonly #onData = (chunk: Buffer): void => {
		if (this.#closing) {
			return;
		}

		this.bytesIn += chunk.length;
		const ts = Date.now();
		this.#readTs = ts;
		this.#sliceCount = 0;
		// Replies first, then the events that describe them (see EventBus.hold).
		this.bus.hold();
		// One write syscall for all the replies to one read.
		this.socket.cork();
		try {
			this.bus.emit({type: 'conn.read', ts, id: this.id, bytes: chunk.length});
			if (this.#bridge && !this.#bridge.write(chunk)) {
				// The program reads slower than the peer sends: the peer waits (TCP backpressure).
				this.socket.pause();
				this.#bridge.onDrain(() => this.socket.resume());
			}

			this.#framer.push(chunk);
		} finally {
			// Even when something threw: a socket left corked would never send again.
			this.socket.uncork();
			this.#readTs = 0;
			this.bus.release();
		}
	};

	/** The time for an event: the current read's, or the clock's outside a read. */
	#now(): number {
		return this.#readTs === 0 ? Date.now() : this.#readTs;
	}

	/**
	 * A message framed from the current read: answered now while this turn's time slice lasts and
	 * the peer reads; past the slice, or while reading is paused for a peer that does not read,
	 * kept (with the read's time) and answered on later turns, so one read of 32,768 two-byte
	 * lines does not keep the others waiting, and a paused peer gets no more answers queued until
	 * it drains (Hostile input III §3).
	 */
	#take(message: FramedMessage): void {
		if (this.#backlog.length === 0 && !this.#paused && !this.#sliceOver()) {
			this.#onMessage(message);
			return;
		}

		if (this.#backlog.length === 0) {
			this.socket.pause();
			this.#scheduleBacklog();
		}

		this.#backlog.push({message, ts: this.#now()});
	}

	/** Answers the backlog on a later turn, unless reading is paused (the drain does it then). */
	#scheduleBacklog(): void {
		if (!this.#backlogScheduled && !this.#paused) {
			this.#backlogScheduled = true;
			setImmediate(this.#workBacklog);
		}
	}

	/** True once this turn has answered messages for longer than the slice (checked every 64 messages). */
	#sliceOver(): boolean {
		if (++this.#sliceCount % 64 !== 0) {
			return false;
		}

		const now = performance.now();
		if (this.#sliceCount === 64) {
			// A read's first check starts its slice: a read of a few messages never asks the clock.
			this.#sliceStart = now;
			return false;
		}

		return now - this.#sliceStart > sliceMs;
	}

	readonly #workBacklog = (): void => {
		this.#backlogScheduled = false;
		this.#sliceCount = 0;
		if (this.#closing) {
			return;
		}

		this.bus.hold();
		this.socket.cork();
		try {
			const started = performance.now();
			let handled = 0;
			while (this.#backlogHead < this.#backlog.length && !this.#closing && !this.#paused) {
				// By index, not shift(): shifting a long array moves all of it (quadratic per read).
				const {message, ts} = this.#backlog[this.#backlogHead++]!;
				this.#readTs = ts;
				this.#onMessage(message);
				if (++handled % 64 === 0 && performance.now() - started > sliceMs) {
					break;
				}
			}
		} finally {
			this.socket.uncork();
			this.#readTs = 0;
			this.bus.release();
		}

		if (this.#backlogHead === this.#backlog.length) {
			this.#backlog.length = 0;
			this.#backlogHead = 0;
		}

		if (this.#backlog.length > 0) {
			this.#scheduleBacklog();
		} else if (!this.#paused) {
			this.socket.resume();
		}
	};

	#onMessage(message: FramedMessage): void {
		if (this.#closing) {
			return;
		}

		const text = this.#publishMessage(message);
		const {bytes, partial} = message;
		if (!partial && this.responder.isExit(bytes)) {
			this.end('exit');
			return;
		}

		this.onRelay?.(this, bytes);
		const reply = this.responder.reply(bytes, this.peer, text);
		if (reply !== undefined) {
			this.send(reply, 'reply');
			const note = this.responder.replyNote?.();
			if (note !== undefined) {
				this.bus.publish({type: 'conn.warning', id: this.id, kind: 'mock-repeat', detail: note});
			}
		}
	}

	/** Publishes a message as it sat on the wire; returns its text when that is exact (valid UTF-8). */
	#publishMessage({bytes, partial, ending, skipped}: FramedMessage): string | undefined {
		this.messagesIn++;
		const ts = this.#now();
		let text: string | undefined;
		if (partial || ending !== lineFeed || skipped.length > 0) {
			// Not the common line: the event says how it sat on the wire (events.ts, Framed).
			if (!partial && isUtf8(bytes)) {
				text = bytes.toString('utf8');
			}

			this.bus.emit({type: 'conn.message', ts, id: this.id, ...(partial ? {partial} : {}), ...toPayload(bytes), ...framed(ending, skipped)});
		} else {
			const decoded = bytes.toString('utf8');
			if (isUtf8(bytes)) {
				text = decoded;
				this.bus.emit({type: 'conn.message', ts, id: this.id, text});
			} else {
				this.bus.emit({type: 'conn.message', ts, id: this.id, text: decoded, base64: bytes.toString('base64')});
			}
		}

		return text;
	}

	/**
	 * The connection closed with messages of a read not yet answered (a reset, a kick): they came,
	 * so they are told, unanswered, before the close (whose count includes them).
	 */
	#tellUnanswered(): void {
		if (this.#backlogHead < this.#backlog.length && this.#reason !== 'exit') {
			this.bus.hold();
			try {
				for (const {message, ts} of this.#backlog.slice(this.#backlogHead)) {
					this.#readTs = ts;
					this.#publishMessage(message);
				}
			} finally {
				this.#readTs = 0;
				this.bus.release();
			}
		}

		this.#backlog.length = 0;
		this.#backlogHead = 0;
	}

	readonly #onEnd = (): void => {
		// The unterminated tail came before the FIN: it is delivered (and answered, for the
		// tutorial's client) first, then the end, carrying any empty lines after the last message.
		// The tail is answered now, never kept past a slice: the end that follows would drop it.
		this.#sliceCount = 0;
		const skipped = this.#closing ? Buffer.alloc(0) : this.#framer.end();
		this.bus.publish(skipped.length === 0 ? {type: 'conn.end', id: this.id} : {type: 'conn.end', id: this.id, skipped: skipped.toString('latin1')});
		if (this.#bridge) {
			// The program sees EOF; its exit (after its last output) ends the connection.
			this.#bridge.endInput();
			return;
		}

		if (!this.#closing) {
			this.end('eof');
		}
	};

	readonly #onError = (error: NodeJS.ErrnoException): void => {
		const code = error.code ?? '';
		this.#reason ??= resetCodes.has(code) ? 'reset' : 'error';
		this.#error = code || messageOf(error);
	};

	readonly #onIdle = (): void => {
		const seconds = Math.round(this.limits.idleTimeoutMs / 100) / 10;
		this.bus.publish({type: 'conn.warning', id: this.id, kind: 'idle', detail: `silent for ${seconds} s (--idle-timeout); closing`});
		this.end('idle');
	};

	readonly #onDrain = (): void => {
		if (this.limits.budget) {
			this.#counted = this.limits.budget.change(this.#counted, 0);
		}

		this.#writeWaiting();
		if (this.#paused && this.#waiting.length === 0 && !this.socket.writableNeedDrain) {
			this.#paused = false;
			if (this.#backlog.length === 0) {
				this.socket.resume();
			} else {
				this.#scheduleBacklog();
			}

			this.bus.publish({type: 'conn.warning', id: this.id, kind: 'resumed', detail: 'peer is reading again; resumed'});
		}
	};

	readonly #onClose = (): void => {
		this.#closing = true;
		this.#dropWaiting();
		this.#tellUnanswered();
		if (this.limits.budget) {
			this.#counted = this.limits.budget.change(this.#counted, 0);
		}

		this.#framer.dispose();
		this.#bridge?.stop();
		const event = {
			type: 'conn.close',
			id: this.id,
			reason: this.#reason ?? 'eof',
			bytesIn: this.bytesIn,
			bytesOut: this.bytesOut,
			messagesIn: this.messagesIn,
			durationMs: Date.now() - this.#opened,
		} as const;
		this.bus.publish(this.#error === undefined ? event : {...event, error: this.#error});
		this.onClosed(this);
	};
}
