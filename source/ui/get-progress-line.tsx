import {render, type Instance} from 'ink';
import React from 'react';
import type {EventBus} from '../bus.js';
import {GetProgress} from './GetProgress.js';

/** The Ink progress line on stderr, fed by the bus at most ten times a second. */
export function startProgress(bus: EventBus, stderr: NodeJS.WriteStream): {stop: () => void; clear: () => void} {
	let instance: Instance | undefined;
	let started = Date.now();
	const unsubscribe = bus.subscribe(event => {
		if (event.type === 'http.connect') {
			started = Date.now();
		}

		if (event.type === 'http.progress') {
			const view = <GetProgress url={event.url} bytes={event.bytes} total={event.total} elapsedMs={Date.now() - started} />;
			if (instance) {
				instance.rerender(view);
			} else {
				instance = render(view, {stdout: stderr, patchConsole: false, exitOnCtrlC: true});
			}
		}
	});
	return {
		clear() {
			instance?.clear();
		},
		stop() {
			unsubscribe();
			instance?.unmount();
		},
	};
}
