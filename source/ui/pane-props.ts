import type {Store} from '../state/store.js';

/** What every pane is given. */
export type PaneProps = {
	readonly store: Store;
	/** Outer size, borders included. */
	readonly width: number;
	readonly height: number;
	/** False while an overlay (the help) takes the keys. */
	readonly inputActive: boolean;
	/** Show remote bytes as hex. */
	readonly hex: boolean;
};
