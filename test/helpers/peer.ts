import {connect, type Socket} from 'node:net';

/**
 * A raw TCP peer for tests: connects, collects what arrives, and lets a test await text.
 */
export class Peer {
	readonly socket: Socket;
	received = Buffer.alloc(0);
	closed = false;
	readonly #waiters = new Set<() => void>();

	private constructor(socket: Socket) {
		this.socket = socket;
		socket.on('data', chunk => {
			this.received = Buffer.concat([this.received, chunk]);
			this.#wake();
		});
		socket.on('close', () => {
			this.closed = true;
			this.#wake();
		});
		socket.on('error', () => {
			// Resets are part of what tests provoke; `closed` tells the rest.
		});
	}

	/** Connects to a TCP port on `host`, or (a host starting with / or a NUL) to a Unix socket. */
	static async connect(port: number, host = '127.0.0.1'): Promise<Peer> {
		const unix = host.startsWith('/') || host.startsWith('\0');
		return new Promise((resolve, reject) => {
			const socket = connect(unix ? {path: host} : {port, host}, () => {
				socket.off('error', reject);
				resolve(new Peer(socket));
			});
			socket.once('error', reject);
		});
	}

	get text(): string {
		return this.received.toString('utf8');
	}

	write(data: string | Buffer): void {
		this.socket.write(data);
	}

	/** Resolves when what was received (from byte `from` on) contains `text`. */
	async waitForText(text: string, from = 0): Promise<void> {
		const needle = Buffer.from(text);
		await this.#until(() => this.received.indexOf(needle, from) !== -1);
	}

	/** Resolves when what was received contains these exact bytes. */
	async waitForBytes(bytes: Buffer): Promise<void> {
		await this.#until(() => this.received.includes(bytes));
	}

	/** Resolves when the server has closed the connection. */
	async waitForClose(): Promise<void> {
		await this.#until(() => this.closed);
	}

	async #until(condition: () => boolean): Promise<void> {
		if (condition()) {
			return;
		}

		await new Promise<void>(resolve => {
			const check = (): void => {
				if (condition()) {
					this.#waiters.delete(check);
					resolve();
				}
			};

			this.#waiters.add(check);
		});
	}

	#wake(): void {
		for (const waiter of this.#waiters) {
			waiter();
		}
	}
}
