import type {EventBus} from '../bus.js';
import type {TcpClient} from './tcp-client.js';

/**
 * `/repeat N MS TEXT`: a small traffic generator. Sends TEXT (or its bytes) N times, one every
 * MS milliseconds (0: as fast as the socket takes them, a turn of the loop apart), `{seq}`
 * numbering each; tells its progress (client.repeat, at most ten times a second, and at the
 * end). Stops early when the connection ends or `stop` is called. Resolves with how many went.
 */
export class Repeater {
	#timer: NodeJS.Timeout | undefined;
	#stopped = false;
	#sent = 0;
	readonly done: Promise<number>;
	#finish: (sent: number) => void = () => undefined;

	constructor(
		private readonly bus: EventBus,
		private readonly client: TcpClient,
		private readonly count: number,
		private readonly intervalMs: number,
		private readonly line: string | Uint8Array,
	) {
		this.done = new Promise(resolve => {
			this.#finish = resolve;
		});
		this.#tick();
	}

	stop(): void {
		if (!this.#stopped) {
			this.#end(true);
		}
	}

	#lastTold = 0;

	readonly #tick = (): void => {
		if (this.#stopped) {
			return;
		}

		if (!this.client.send(this.line)) {
			this.#end(true);
			return;
		}

		this.#sent++;
		if (this.#sent >= this.count) {
			this.#end(false);
			return;
		}

		const now = Date.now();
		if (now - this.#lastTold >= 100) {
			this.#lastTold = now;
			this.bus.publish({type: 'client.repeat', id: this.client.id, sent: this.#sent, total: this.count, done: false});
		}

		// At pace, or (0) after the socket has taken this one: a flood that never outruns its buffer.
		this.#timer = this.intervalMs > 0 ? setTimeout(this.#tick, this.intervalMs) : setTimeout(() => {
			void this.client.whenDrained().then(this.#tick);
		}, 0);
	};

	#end(stopped: boolean): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.bus.publish({type: 'client.repeat', id: this.client.id, sent: this.#sent, total: this.count, done: true, ...(stopped ? {stopped: true} : {})});
		this.#finish(this.#sent);
	}
}
