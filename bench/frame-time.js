// Frame time of the server pane with 10, 1,000 and 10,000 rows: the pane renders only the rows
// that fit, so a frame should cost about the same whatever the count. Prints one JSON result.
// run.js bundles this file first (as dist/ is bundled, with production React), then runs it.
import {render} from 'ink-testing-library';
import React from 'react';
import {EventBus} from '../source/bus.js';
import {Store} from '../source/state/store.js';
import {App} from '../source/ui/App.js';

const actions = {submit() {}, kick() {}, sendTo() {}, broadcast() {}};
const local = {address: '127.0.0.1', port: 9999, family: 'IPv4'};
const results = {};
for (const rows of [10, 1000, 10_000]) {
	const bus = new EventBus();
	const store = new Store(bus, {frameMs: 1_000_000});
	for (let id = 1; id <= rows; id++) {
		bus.publish({type: 'conn.open', id, peer: {...local, port: 10_000 + (id % 50_000)}, local});
		bus.publish({type: 'conn.message', id, text: `message ${id}`});
	}

	const view = render(React.createElement(App, {store, actions, mode: 'serve', rows: 40, columns: 120}));
	const frames = 200;
	const started = performance.now();
	for (let frame = 0; frame < frames; frame++) {
		// A new message on a visible row, then a repaint, as the store's timer would do.
		bus.publish({type: 'conn.message', id: 1 + (frame % Math.min(rows, 30)), text: `update ${frame}`});
		store.flush();
		view.rerender(React.createElement(App, {store, actions, mode: 'serve', rows: 40, columns: 120}));
	}

	results[rows] = (performance.now() - started) / frames;
	view.unmount();
	store.dispose();
}

process.stdout.write(JSON.stringify(results) + '\n');
process.exit(0);
