/**
 * What the operator can ask of one relayed connection (the screen's keys, tests): the relay's
 * steering commands. `up` is client → upstream, `down` upstream → client, as in --rewrite.
 */
export type RelayDirection = 'up' | 'down';

export type RelaySteer =
	/**
	 * Paused: what arrives is held, one framed message at a time. Resumed: held messages go first.
	 * `toggle`: the other way from where the direction is when the command gets there (a key
	 * pressed twice in one burst pauses and resumes, whatever the screen showed at the time).
	 */
	| {readonly kind: 'pause'; readonly direction: RelayDirection; readonly paused: boolean | 'toggle'}
	/** The held message `seq` (the oldest of either direction without one), or every held message, in order. */
	| {readonly kind: 'release'; readonly all: boolean; readonly seq?: number}
	/** A held message (by seq; the oldest without one) is forgotten, never sent. */
	| {readonly kind: 'drop'; readonly seq?: number}
	/** A held message's new content (its line ending is kept): text as UTF-8, or hex digits. */
	| {readonly kind: 'edit'; readonly seq: number; readonly text?: string; readonly hex?: string}
	/** Bytes sent in a direction as if that side had sent them: text as UTF-8 or base64. */
	| {readonly kind: 'inject'; readonly direction: RelayDirection; readonly text?: string; readonly base64?: string};
