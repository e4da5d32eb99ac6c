import type {Key} from './keys.js';
import {initialScreen, pressKey, type Effect, type KeyContext, type Mode, type ScreenState} from './screen-state.js';

/**
 * The screen's key state outside React (as the store holds the sockets' state): each key is
 * applied at once to the state the previous key left, and React draws snapshots of it through
 * useSyncExternalStore.
 */
export class ScreenModel {
	#state: ScreenState;
	readonly #listeners = new Set<() => void>();

	constructor(mode: Mode) {
		this.#state = initialScreen(mode);
	}

	readonly subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	};

	readonly getSnapshot = (): ScreenState => this.#state;

	/** Applies one key; returns what it asks for, to be carried out before the next key. */
	press(key: Key, context: KeyContext): readonly Effect[] {
		const {state, effects} = pressKey(this.#state, key, context);
		if (state !== this.#state) {
			this.#state = state;
			for (const listener of this.#listeners) {
				listener();
			}
		}

		return effects;
	}
}
