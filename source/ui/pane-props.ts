import type {StoreView} from '../state/store.js';

/** What every pane is given: what to draw from, where, and how. */
export type PaneProps = {
	readonly store: StoreView;
	/** Outer size, borders included. */
	readonly width: number;
	readonly height: number;
	/** The focused pane has a cyan border and a ●. */
	readonly focused: boolean;
	/** Remote bytes as hex. */
	readonly hex: boolean;
};
