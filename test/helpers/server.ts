import {EventBus} from '../../source/bus.js';
import {configFromFlags, type Config} from '../../source/config.js';
import {startEngine, type Engine} from '../../source/engine.js';
import {EventLog} from './collect.js';

export type TestServer = {
	readonly engine: Engine;
	readonly log: EventLog;
	readonly port: number;
	readonly host: string;
};

/** Starts server + UDP on loopback with a port from the OS; overrides tweak the config. */
export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
	const config = {...configFromFlags({port: '0'}), ...overrides};
	const bus = new EventBus();
	const log = new EventLog(bus);
	const engine = await startEngine(config, {serve: true}, bus);
	const address = engine.server!.address!;
	return {engine, log, port: address.port, host: address.address};
}
