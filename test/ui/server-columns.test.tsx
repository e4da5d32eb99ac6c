import {render} from 'ink-testing-library';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {Store} from '../../source/state/store.js';
import {App} from '../../source/ui/App.js';
import {count} from '../../source/ui/format.js';

const actions = {submit() {}, kick() {}, sendTo() {}, broadcast() {}, steer() {}, inject() {}};
const local = {address: '127.0.0.1', port: 9999, family: 'IPv4'} as const;
// The longest IPv4 peer, one a column short of it, and an IPv6 one far longer than any column.
const peers = [
	{address: '255.255.255.255', port: 65_535, family: 'IPv4'},
	{address: '127.199.0.1', port: 36_199, family: 'IPv4'},
	{address: 'fd00:1234:5678:9abc:def0:1234:5678:9abc', port: 54_321, family: 'IPv6'},
] as const;

let cleanup: (() => void) | undefined;
afterEach(() => {
	cleanup?.();
	cleanup = undefined;
});

describe('server pane columns', () => {
	it.each([80, 100, 160])('never run into each other, %i columns wide', columns => {
		const bus = new EventBus();
		const store = new Store(bus, {frameMs: 1_000_000});
		peers.forEach((peer, index) => {
			bus.publish({type: 'conn.open', id: index + 1, peer, local});
			for (let message = 0; message < 123_456; message += 1000) {
				bus.publish({type: 'conn.read', id: index + 1, bytes: 1_000_000});
			}

			bus.publish({type: 'conn.message', id: index + 1, text: 'hello'});
		});
		store.flush();
		const {lastFrame, unmount} = render(<App store={store} actions={actions} mode="serve" rows={20} columns={columns} />);
		cleanup = () => {
			unmount();
			store.dispose();
		};
		const rows = lastFrame()!.split('\n').filter(line => /^│[▸ ][• ]\S/.test(line) && line.includes(' open '));
		expect(rows).toHaveLength(3);
		for (const row of rows) {
			// Every column ends in at least one blank: the peer, however long, never touches its state.
			expect(row).toMatch(/(\d|…) +open +0:00 +1 +0 /);
		}
	});
});

describe('count', () => {
	it('fits any count in four columns', () => {
		expect([0, 999, 1000, 1234, 9949, 9950, 12_345, 999_499, 999_500, 1_234_567, 45_678_901, 2e9, 5e12].map(value => count(value)))
			.toEqual(['0', '999', '1.0k', '1.2k', '9.9k', '10k', '12k', '999k', '1.0M', '1.2M', '46M', '2.0G', '5T']);
		for (let value = 1; value < 1e13; value = Math.ceil(value * 1.37)) {
			expect(count(value).length).toBeLessThanOrEqual(4);
		}
	});
});
