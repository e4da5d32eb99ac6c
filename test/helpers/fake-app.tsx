import {render} from 'ink-testing-library';
import React from 'react';
import {EventBus} from '../../source/bus.js';
import {Store} from '../../source/state/store.js';
import type {Actions} from '../../source/ui/actions.js';
import {App, type Mode} from '../../source/ui/App.js';
import {ScreenModel} from '../../source/ui/screen-model.js';

/** What the screen asked of the engines, in order. */
export type Call = readonly [keyof Actions, ...unknown[]];

const endpoint = (port: number) => ({address: '127.0.0.1', port, family: 'IPv4' as const});

/**
 * The real App over a store fed by hand-made events (no sockets): a server with `rows` open
 * connections and a connected client. Every action is recorded, so two runs can be compared.
 */
export function startFakeApp(mode: Mode = 'all', {rows = 3, height = 30, columns = 100}: {rows?: number; height?: number; columns?: number} = {}) {
	const bus = new EventBus();
	const store = new Store(bus, {frameMs: 1});
	const calls: Call[] = [];
	const actions: Actions = {
		submit: line => calls.push(['submit', line]),
		kick: id => calls.push(['kick', id]),
		sendTo: (id, text) => calls.push(['sendTo', id, text]),
		broadcast: text => calls.push(['broadcast', text]),
		steer: (id, command) => calls.push(['steer', id, command]),
		inject: (id, direction, line) => calls.push(['inject', id, direction, line]),
	};
	bus.publish({type: 'server.listening', host: '127.0.0.1', port: 9999, family: 'IPv4', backlog: 511, loopback: true, framing: 'line', eol: 'lf', maxClients: 10, maxLine: 1024});
	for (let id = 1; id <= rows; id++) {
		bus.publish({type: 'conn.open', id, peer: endpoint(50_000 + id), local: endpoint(9999)});
	}

	bus.publish({type: 'client.state', id: 1, state: 'connected', remote: {host: '127.0.0.1', port: 9999}, connectMs: 0.25});
	const model = new ScreenModel(mode);
	const view = render(<App store={store} actions={actions} mode={mode} rows={height} columns={columns} model={model} />);
	return {...view, store, bus, calls, model, dispose: () => {
		view.unmount();
		store.dispose();
	}};
}
