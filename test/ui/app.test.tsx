import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {configFromFlags} from '../../source/config.js';
import {startEngine, type Engine} from '../../source/engine.js';
import {Store} from '../../source/state/store.js';
import {engineActions} from '../../source/ui/actions.js';
import {App} from '../../source/ui/App.js';
import {EventLog} from '../helpers/collect.js';

let engine: Engine | undefined;
let store: Store | undefined;
let unmount: (() => void) | undefined;

afterEach(async () => {
	unmount?.();
	store?.dispose();
	await engine?.stop();
});

const tick = async (): Promise<void> => new Promise(resolve => {
	setImmediate(resolve);
});

/** Waits until the last frame satisfies `test`: the store repaints on its own timer. */
async function frameWith(lastFrame: () => string | undefined, test: (frame: string) => boolean): Promise<string> {
	for (let attempt = 0; attempt < 200; attempt++) {
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

async function startApp(mode: 'all' | 'serve' | 'connect' = 'all', rows = 24, columns = 100) {
	const bus = new EventBus();
	const log = new EventLog(bus);
	store = new Store(bus, {frameMs: 5});
	engine = await startEngine(configFromFlags({port: '0'}), {serve: true, connect: 'own-server'}, bus);
	const view = render(<App store={store} actions={engineActions(engine, store)} mode={mode} rows={rows} columns={columns} />);
	unmount = view.unmount;
	return {...view, log, engine};
}

describe('App', () => {
	it('shows the welcome, and typing Michael + Enter shows the reply', async () => {
		const {lastFrame, stdin} = await startApp();
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('Michael');
		await tick();
		stdin.write('\r');
		const frame = await frameWith(lastFrame, text => text.includes('← Hello, Michael!'));
		expect(frame).toContain('→ Michael');
	});
});

describe('ServerPane in the App', () => {
	it('lists connections; ↑/↓ select, Enter opens the transcript, Esc goes back, k kicks', async () => {
		const {lastFrame, stdin, log, engine: running} = await startApp('serve');
		await frameWith(lastFrame, frame => frame.includes('1 open') && frame.includes('● TCP'));
		const port = running.server!.address!.port;
		const {Peer} = await import('../helpers/peer.js');
		const outsider = await Peer.connect(port);
		outsider.write('from outside\n');
		await frameWith(lastFrame, frame => frame.includes('"from outside"'));
		stdin.write('\u001B[B'); // Down: the outsider's row
		await frameWith(lastFrame, frame => /▸ 127\.0\.0\.1:\d+ +open .*"from outside"/.test(frame));
		stdin.write('\r');
		const transcript = await frameWith(lastFrame, frame => frame.includes('Esc back'));
		expect(transcript).toContain('← from outside');
		expect(transcript).toContain('→ Hello, from outside!');
		stdin.write('\u001B');
		await tick();
		// Back on the list, and the pane still has the focus.
		await frameWith(lastFrame, frame => frame.includes('PEER') && frame.includes('● TCP'));
		stdin.write('k');
		await log.waitFor('conn.close', event => event.reason === 'kicked');
		await frameWith(lastFrame, frame => frame.includes('(kicked)'));
		await outsider.waitForClose();
	});
});
