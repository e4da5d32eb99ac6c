import type {RelayDirection, RelaySteer} from '../relay-steer.js';

/**
 * What the screen can ask of the engines: the only way the UI reaches them (screen-actions.ts binds
 * it to the engines; tests record it).
 */
export type Actions = {
	readonly submit: (line: string) => void;
	readonly kick: (id: number) => void;
	/** The operator's line to one server connection / to all of them. */
	readonly sendTo: (id: number, text: string) => void;
	readonly broadcast: (text: string) => void;
	/** Steers one relayed connection (pause, release, drop, edit). */
	readonly steer: (id: number, command: RelaySteer) => void;
	/** A typed line into a relayed connection, toward the upstream (up) or the client (down). */
	readonly inject: (id: number, direction: RelayDirection, line: string) => void;
};

