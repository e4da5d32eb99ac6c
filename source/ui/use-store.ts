import {useSyncExternalStore} from 'react';
import type {Store} from '../state/store.js';

/** Re-renders the caller when the store has news: at most once per frame, however busy the sockets. */
export function useStoreVersion(store: Store): number {
	return useSyncExternalStore(store.subscribe, store.getVersion);
}
