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
	/** Keys that asked to quit so far (the app exits on the first). */
	quits = 0;

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
		// Once a key has quit, the keys after it (in the same burst) do nothing: `q k` never kicks.
		if (this.quits > 0) {
			return [];
		}

		const {state, effects} = pressKey(this.#state, key, context);
		this.quits += effects.filter(effect => effect.kind === 'exit').length;
		if (state !== this.#state) {
			this.#state = state;
			for (const listener of this.#listeners) {
				listener();
			}
		}

		return effects;
	}
}
