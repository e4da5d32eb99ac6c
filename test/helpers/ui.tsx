import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {configFromFlags, type Config} from '../../source/config.js';
import {startEngine, type Engine, type EngineParts} from '../../source/engine.js';
import {Store} from '../../source/state/store.js';
import {localControl} from '../../source/engine-control.js';
import {engineActions} from '../../source/screen-actions.js';
import {App, type Mode} from '../../source/ui/App.js';
import {EventLog} from './collect.js';

let engine: Engine | undefined;
let store: Store | undefined;
let unmount: (() => void) | undefined;

afterEach(async () => {
	unmount?.();
	store?.dispose();
	await engine?.stop();
	engine = undefined;
});

/** One turn of the event loop: Ink handles a stdin write on a later tick. */
export const tick = async (): Promise<void> => new Promise(resolve => {
	setImmediate(resolve);
});

/**
 * After a frame shows a change of focus or view, lets React run its passive effects: Ink
 * subscribes a pane's key handler in one, after the frame is already written.
 */
export async function effectsSettled(): Promise<void> {
	for (let turn = 0; turn < 3; turn++) {
		await tick();
	}
}

/** Waits until the last frame satisfies `test` (the store repaints on its own timer); fails showing the frame. */
export async function frameWith(lastFrame: () => string | undefined, test: (frame: string) => boolean): Promise<string> {
	for (let attempt = 0; attempt < 300; attempt++) {
		const frame = lastFrame() ?? '';
		if (test(frame)) {
			return frame;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	throw new Error(`frame never matched; last frame:\n${lastFrame()}`);
}

/** The real App on real loopback engines (ports from the OS), rendered by ink-testing-library. */
export async function startApp(mode: Mode = 'all', {rows = 24, columns = 100, config = {}, parts}: {rows?: number; columns?: number; config?: Partial<Config>; parts?: EngineParts} = {}) {
	const bus = new EventBus();
	const log = new EventLog(bus);
	store = new Store(bus, {frameMs: 5});
	engine = await startEngine({...configFromFlags({port: '0'}), ...config}, parts ?? {serve: true, connect: mode === 'serve' ? undefined : 'own-server'}, bus);
	const view = render(<App store={store} actions={engineActions(localControl(engine), store)} mode={mode} rows={rows} columns={columns} />);
	unmount = view.unmount;
	return {...view, log, engine, store};
}
