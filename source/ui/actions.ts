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
};

