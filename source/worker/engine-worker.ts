/**
 * The engine thread of the screen: sockets, the event bus and the --log writer run here, so a
 * read or a send never waits behind a frame being drawn, and the times the events carry (connect,
 * round trips, ts) are the network's. Events go to the screen's thread in one batch per turn of
 * this thread's loop; the screen's requests come back as calls.
 */
import {parentPort, workerData} from 'node:worker_threads';
import {EventBus} from '../bus.js';
import {configFromFlags} from '../config.js';
import {localControl, type EngineControl} from '../engine-control.js';
import {startEngine} from '../engine.js';
import {ExplainedError, messageOf} from '../net/errors.js';
import {attachLogFile} from '../sinks/ndjson.js';
import {pack, type Packed} from './event-codec.js';
import type {FromWorker, ToWorker, WorkerInput} from './protocol.js';

const port = parentPort!;
const post = (message: FromWorker): void => {
	port.postMessage(message);
};

const {flags, parts} = workerData as WorkerInput;
const bus = new EventBus();
let batch: Packed = [];
let scheduled = false;
const flush = (): void => {
	scheduled = false;
	if (batch.length > 0) {
		const events = batch;
		batch = [];
		post({kind: 'events', events});
	}
};

bus.subscribe(event => {
	pack(batch, event);
	if (!scheduled) {
		scheduled = true;
		// After this turn's I/O: one message carries everything the turn published.
		setImmediate(flush);
	}
});

const config = configFromFlags(flags);
const detachLog = config.log === undefined ? undefined : attachLogFile(bus, config.log);
let control: EngineControl;
try {
	control = localControl(await startEngine(config, parts, bus));
} catch (error) {
	flush();
	await detachLog?.();
	post({kind: 'failed', explained: error instanceof ExplainedError ? error.explained : undefined, message: messageOf(error)});
	port.close();
	process.exit(0);
}

port.on('message', async (message: ToWorker) => {
	if (message.kind === 'stop') {
		await control.stop();
		flush();
		await detachLog?.();
		post({kind: 'stopped'});
		port.close();
		return;
	}

	// A call's result goes after every event published before it (flushed first): what the
	// screen says of a result (`sent 2 of 2 lines`) then stands after the replies that came
	// before it, in the transcript, /save and the log alike.
	try {
		const value: unknown = await (control[message.name] as (...args: readonly unknown[]) => unknown)(...message.args);
		flush();
		post({kind: 'result', id: message.id, value});
	} catch (error) {
		flush();
		post({kind: 'result', id: message.id, error: messageOf(error)});
	}
});
post({kind: 'started'});
