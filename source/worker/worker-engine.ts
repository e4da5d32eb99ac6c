import {Worker} from 'node:worker_threads';
import type {EventBus} from '../bus.js';
import type {EngineControl} from '../engine-control.js';
import {ExplainedError} from '../net/errors.js';
import {unpack} from './event-codec.js';
import type {CallName, FromWorker, ToWorker, WorkerInput} from './protocol.js';

/**
 * Starts the engines in a worker thread (engine-worker.ts, built beside cli.js) and returns
 * their control; their events are published on `bus` as they arrive, timestamps unchanged.
 * Rejects with an ExplainedError when a bind fails, as startEngine does.
 */
export async function startWorkerEngine(workerUrl: URL, input: WorkerInput, bus: EventBus): Promise<EngineControl> {
	const worker = new Worker(workerUrl, {workerData: input});
	const pending = new Map<number, {resolve: (value: unknown) => void; reject: (error: Error) => void}>();
	let nextId = 1;
	let onStarted: (failure?: Error) => void = () => undefined;
	const started = new Promise<void>((resolve, reject) => {
		onStarted = failure => (failure ? reject(failure) : resolve());
	});
	let onStopped = (): void => undefined;
	const stopped = new Promise<void>(resolve => {
		onStopped = resolve;
	});

	worker.on('message', (message: FromWorker) => {
		switch (message.kind) {
			case 'events': {
				unpack(message.events, event => bus.emit(event));
				break;
			}

			case 'started': {
				onStarted();
				break;
			}

			case 'failed': {
				onStarted(message.explained ? new ExplainedError(message.explained) : new Error(message.message));
				break;
			}

			case 'result': {
				const call = pending.get(message.id);
				pending.delete(message.id);
				if (message.error === undefined) {
					call?.resolve(message.value);
				} else {
					call?.reject(new Error(message.error));
				}

				break;
			}

			case 'stopped': {
				onStopped();
				break;
			}
		}
	});
	worker.on('error', error => {
		// A bug in the engine thread: the screen's crash path reports it and restores the terminal.
		onStarted(error);
		process.emit('uncaughtException', error);
	});
	worker.on('exit', () => {
		onStopped();
	});

	await started;
	const send = (message: ToWorker): void => {
		worker.postMessage(message);
	};

	const call = async <T>(name: CallName, ...args: readonly unknown[]): Promise<T> => new Promise<T>((resolve, reject) => {
		const id = nextId++;
		pending.set(id, {resolve: resolve as (value: unknown) => void, reject});
		send({kind: 'call', id, name, args});
	});

	let stopping: Promise<void> | undefined;
	return {
		bus,
		clientSend: text => void call('clientSend', text),
		clientWrite: bytes => void call('clientWrite', bytes),
		clientConnect: remote => void call('clientConnect', remote),
		clientDisconnect: () => void call('clientDisconnect'),
		sendTo: async (id, text) => call('sendTo', id, text),
		broadcast: async text => call('broadcast', text),
		kick: async id => call('kick', id),
		steer: async (id, command) => call('steer', id, command),
		udpExchange: async (remote, text) => call('udpExchange', remote, text),
		sendScript: async lines => call('sendScript', lines),
		repeat: async (count, intervalMs, line) => call('repeat', count, intervalMs, line),
		stopRepeat: () => void call('stopRepeat'),
		startClient: () => void call('startClient'),
		record: draft => void call('record', draft),
		async stop() {
			stopping ??= (async () => {
				send({kind: 'stop'});
				await stopped;
			})();
			return stopping;
		},
	};
}
