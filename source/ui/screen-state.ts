import type {RelayDirection, RelaySteer} from '../relay-steer.js';
import type {Key, KeyName} from './keys.js';
import {edit, emptyLine, insert, type LineEditor} from './line-editor.js';
import {scrollTo} from './scroll.js';

/** all: server, UDP and client · serve: server and UDP · connect: the client alone · relay: the relay's rows. */
export type Mode = 'all' | 'serve' | 'connect' | 'relay';

export type Focus = 'server' | 'udp' | 'client';

/**
 * Everything the keys change, in one plain value. Every key is applied to the state the key
 * before it left — never to what the last frame showed — so a burst of keys, a paste and slow
 * typing end in the same place.
 */
export type ScreenState = {
	readonly focus: Focus;
	/** The help is shown over the panes; the focus stays where it was, for Esc to return to. */
	readonly help: boolean;
	/** The help's first line shown (it scrolls when the window is shorter than it). */
	readonly helpOffset: number;
	readonly hex: boolean;
	/** The focused pane alone, the whole window (z), as when the window is too small for all. */
	readonly zoom: boolean;
	readonly client: {
		/** Keys are text in the input box; after Esc they are commands (q quits) until Enter. */
		readonly editing: boolean;
		readonly line: LineEditor;
		/** Position in the history while walking it with ↑/↓; undefined: the line being typed. */
		readonly historyIndex: number | undefined;
		/** The line being typed, kept while the history is walked. */
		readonly draft: string;
		/** Lines scrolled back from the newest (0 follows new lines). */
		readonly back: number;
	};
	readonly server: {
		/** The marker's row, an index into the rows in order. */
		readonly selected: number;
		/** The first row shown. */
		readonly offset: number;
		/** The connection whose transcript is open, typed to. */
		readonly openId: number | undefined;
		readonly line: LineEditor;
		readonly back: number;
		/** Typing one line to every open connection (b), until Enter or Esc. */
		readonly broadcasting: boolean;
		readonly broadcast: LineEditor;
		/** The rows are a relay's: a transcript's keys steer it, and its input box opens on demand. */
		readonly relay: boolean;
		/** In a relay's transcript: what the input box is for, while it is open. */
		readonly relayInput: RelayInput | undefined;
	};
	readonly udp: {readonly back: number};
};

/** The relay transcript's input box: a line to inject one way, or a held message being edited. */
export type RelayInput =
	| {readonly kind: 'inject'; readonly direction: RelayDirection}
	| {readonly kind: 'edit'; readonly seq: number; readonly hex: boolean};

/** What a key asks of the engines or the app; applied in order, before the next key. */
export type Effect =
	| {readonly kind: 'submit'; readonly line: string}
	| {readonly kind: 'send-to'; readonly id: number; readonly line: string}
	| {readonly kind: 'broadcast'; readonly line: string}
	| {readonly kind: 'kick'; readonly id: number}
	| {readonly kind: 'steer'; readonly id: number; readonly command: RelaySteer}
	/** A typed line injected into a relayed connection (the line ending is the direction's). */
	| {readonly kind: 'inject'; readonly id: number; readonly direction: RelayDirection; readonly line: string}
	/** A command of the screen's own, not kept in the input history (Esc stopping a /repeat: /stop; t: /timeline; e: /explain). */
	| {readonly kind: 'command'; readonly line: string}
	/** A word on the status line: why a key did nothing. */
	| {readonly kind: 'notify'; readonly text: string}
	/** What the status line said no longer applies (its view was left). */
	| {readonly kind: 'clear-notice'}
	| {readonly kind: 'exit'};

/** What a key in a relay's transcript may read of one relayed connection. */
export type RelayKeyView = {
	/** The oldest held message (either direction): what r, e and Delete act on. */
	readonly oldestHeld: {readonly seq: number; readonly text: string; readonly base64?: string} | undefined;
};

/** What a key may read of the world at the moment it is pressed: the live store and the layout. */
export type KeyContext = {
	readonly mode: Mode;
	/** Connection ids in the server pane's order. */
	readonly order: readonly number[];
	readonly isOpen: (id: number) => boolean;
	/** Lines sent before, oldest first. */
	readonly history: readonly string[];
	/** Rows each list or transcript shows (from the last layout). */
	readonly heights: {readonly serverList: number; readonly serverTranscript: number; readonly clientTranscript: number; readonly udp: number};
	/** Lines each list holds now. */
	readonly lengths: {readonly client: number; readonly connection: (id: number) => number; readonly udp: number};
	/** A relayed connection's steering state; undefined for other rows. */
	readonly relay?: (id: number) => RelayKeyView | undefined;
	/** A /repeat is running (Esc in the client's input box stops it). */
	readonly repeating?: boolean;
	/** The help's lines at this width, and the rows they get (HelpOverlay): how far it scrolls. */
	readonly help?: {readonly lines: number; readonly room: number};
};

export type KeyResult = {readonly state: ScreenState; readonly effects: readonly Effect[]};

export function focusOrder(mode: Mode): readonly Focus[] {
	switch (mode) {
		case 'all': {
			return ['server', 'udp', 'client'];
		}

		case 'serve': {
			return ['server', 'udp'];
		}

		case 'relay': {
			return ['server'];
		}

		case 'connect': {
			return ['client'];
		}
	}
}

export function initialScreen(mode: Mode): ScreenState {
	return {
		focus: mode === 'serve' || mode === 'relay' ? 'server' : 'client',
		help: false,
		helpOffset: 0,
		zoom: false,
		hex: false,
		client: {editing: true, line: emptyLine, historyIndex: undefined, draft: '', back: 0},
		server: {selected: 0, offset: 0, openId: undefined, line: emptyLine, back: 0, broadcasting: false, broadcast: emptyLine, relay: mode === 'relay', relayInput: undefined},
		udp: {back: 0},
	};
}

/** Where keys are text: an input box that takes them. */
export function typingIn(state: ScreenState, context: Pick<KeyContext, 'isOpen'>): 'client' | 'connection' | 'broadcast' | undefined {
	if (state.help) {
		return undefined;
	}

	if (state.focus === 'client') {
		return state.client.editing ? 'client' : undefined;
	}

	if (state.focus === 'server') {
		if (state.server.broadcasting) {
			return 'broadcast';
		}

		if (state.server.openId !== undefined && context.isOpen(state.server.openId) && (!state.server.relay || state.server.relayInput !== undefined)) {
			return 'connection';
		}
	}

	return undefined;
}

const none: readonly Effect[] = [];

/** Applies one key; returns the new state and what it asks for. */
export function pressKey(state: ScreenState, key: Key, context: KeyContext): KeyResult {
	if (key.kind === 'named' && key.name === 'ctrl-c') {
		return {state, effects: [{kind: 'exit'}]};
	}

	const typing = typingIn(state, context);
	if (typing === undefined && key.kind === 'text' && [...key.text].length > 1) {
		// Outside an input box every character is a key of its own, each on the state the one
		// before left (the first may open an input box, and the rest are then typed into it).
		let result: KeyResult = {state, effects: none};
		for (const character of key.text) {
			const next = pressKey(result.state, {kind: 'text', text: character}, context);
			result = {state: next.state, effects: [...result.effects, ...next.effects]};
			if (next.effects.some(effect => effect.kind === 'exit')) {
				break; // Nothing after a key that quits.
			}
		}

		return result;
	}

	if (state.help) {
		return {state: closesHelp(key) ? {...state, help: false} : scrollHelp(state, key, context.help), effects: none};
	}

	if (key.kind === 'named' && (key.name === 'tab' || key.name === 'shift-tab')) {
		return {state: moveFocus(state, context.mode, key.name === 'tab' ? 1 : -1), effects: none};
	}

	switch (typing) {
		case 'client': {
			return clientInput(state, key, context);
		}

		case 'connection': {
			return connectionInput(state, key, context);
		}

		case 'broadcast': {
			return broadcastInput(state, key);
		}

		default: {
			return command(state, key, context);
		}
	}
}

/** ↑ ↓ PgUp PgDn Home End move the help, within its lines (`help`: how many, and the rows they get). */
function scrollHelp(state: ScreenState, key: Key, help: KeyContext['help']): ScreenState {
	if (key.kind !== 'named' || help === undefined) {
		return state;
	}

	const last = Math.max(0, help.lines - help.room);
	const page = Math.max(1, help.room - 1);
	const moves: Partial<Record<string, number>> = {up: -1, down: 1, 'page-up': -page, 'page-down': page, home: -Infinity, end: Infinity};
	const by = moves[key.name];
	return by === undefined ? state : {...state, helpOffset: Math.max(0, Math.min(last, state.helpOffset + by))};
}

function closesHelp(key: Key): boolean {
	return (key.kind === 'named' && key.name === 'escape') || (key.kind === 'text' && (key.text === '?' || key.text === 'q'));
}

function moveFocus(state: ScreenState, mode: Mode, by: number): ScreenState {
	const order = focusOrder(mode);
	const index = order.indexOf(state.focus);
	const focus = order[(index + by + order.length) % order.length]!;
	// Coming back to the client pane is coming back to its input box.
	return {...state, focus, client: focus === 'client' ? {...state.client, editing: true} : state.client};
}

/** Scrolling a transcript or feed: `back` lines from the newest, within what there is. */
function scroll(back: number, key: KeyName, height: number, length: number, arrows: boolean): number | undefined {
	const page = Math.max(1, height - 1);
	const step = key === 'page-up' ? page : (key === 'page-down' ? -page : (arrows && key === 'up' ? 1 : (arrows && key === 'down' ? -1 : 0)));
	if (step === 0) {
		return undefined;
	}

	return Math.max(0, Math.min(Math.max(0, length - height), back + step));
}

type Typed = {readonly line: LineEditor; readonly sent: readonly string[]} | undefined;

/** What a key does to an input box: typing, editing, Enter, a paste (each line sent in order). */
function type(line: LineEditor, key: Key): Typed {
	if (key.kind === 'text') {
		return {line: insert(line, key.text), sent: []};
	}

	if (key.kind === 'paste') {
		const lines = key.text.split(/\r\n|\r|\n/);
		const rest = lines.pop()!;
		if (lines.length === 0) {
			return {line: insert(line, rest), sent: []};
		}

		const [first, ...middle] = lines;
		const sent = [insert(line, first!).text, ...middle];
		return {line: {text: rest, cursor: rest.length}, sent};
	}

	if (key.name === 'return') {
		return {line: emptyLine, sent: [line.text]};
	}

	const edited = edit(line, key.name);
	return edited === undefined ? undefined : {line: edited, sent: []};
}

function clientInput(state: ScreenState, key: Key, context: KeyContext): KeyResult {
	const {client} = state;
	if (key.kind === 'named') {
		if (key.name === 'escape') {
			// Stopping a /repeat comes first; the next Esc leaves the input box.
			return context.repeating ? {state, effects: [{kind: 'command', line: '/stop'}]} : {state: {...state, client: {...client, editing: false}}, effects: none};
		}

		if (key.name === 'up' || key.name === 'down') {
			return {state: {...state, client: walkHistory(client, key.name, context.history)}, effects: none};
		}

		const back = scroll(client.back, key.name, context.heights.clientTranscript, context.lengths.client, false);
		if (back !== undefined) {
			return {state: {...state, client: {...client, back}}, effects: none};
		}
	}

	const typed = type(client.line, key);
	if (!typed) {
		return {state, effects: none};
	}

	const sent = typed.sent.length > 0;
	return {
		state: {...state, client: {...client, line: typed.line, historyIndex: sent ? undefined : client.historyIndex, back: sent ? 0 : client.back}},
		effects: typed.sent.map(line => ({kind: 'submit', line})),
	};
}

function walkHistory(client: ScreenState['client'], direction: 'up' | 'down', history: readonly string[]): ScreenState['client'] {
	if (history.length === 0 || (direction === 'down' && client.historyIndex === undefined)) {
		return client;
	}

	const draft = client.historyIndex === undefined ? client.line.text : client.draft;
	const from = client.historyIndex ?? history.length;
	const index = direction === 'up' ? Math.max(0, from - 1) : from + 1;
	if (index >= history.length) {
		return {...client, historyIndex: undefined, draft: '', line: {text: draft, cursor: draft.length}};
	}

	const text = history[index]!;
	return {...client, historyIndex: index, draft, line: {text, cursor: text.length}};
}

function connectionInput(state: ScreenState, key: Key, context: KeyContext): KeyResult {
	const {server} = state;
	const id = server.openId!;
	if (server.relayInput !== undefined) {
		return relayInput(state, server.relayInput, key);
	}

	if (key.kind === 'named') {
		if (key.name === 'escape') {
			return {state: {...state, server: {...server, openId: undefined}}, effects: none};
		}

		const back = scroll(server.back, key.name, context.heights.serverTranscript, context.lengths.connection(id), false);
		if (back !== undefined) {
			return {state: {...state, server: {...server, back}}, effects: none};
		}
	}

	const typed = type(server.line, key);
	if (!typed) {
		return {state, effects: none};
	}

	const sent = typed.sent.length > 0;
	return {
		state: {...state, server: {...server, line: typed.line, back: sent ? 0 : server.back}},
		effects: typed.sent.map(line => ({kind: 'send-to', id, line})),
	};
}

/** The relay transcript's input box: Enter injects the line, or releases the edited message. */
function relayInput(state: ScreenState, input: RelayInput, key: Key): KeyResult {
	const {server} = state;
	const id = server.openId!;
	const closed = {...state, server: {...server, relayInput: undefined, line: emptyLine}};
	if (key.kind === 'named' && key.name === 'escape') {
		return {state: closed, effects: none};
	}

	const typed = type(server.line, key);
	if (!typed) {
		return {state, effects: none};
	}

	if (typed.sent.length === 0) {
		return {state: {...state, server: {...server, line: typed.line}}, effects: none};
	}

	if (input.kind === 'inject') {
		// One line per > or <, as a command (a paste of several lines injects each): the keys
		// after it are the transcript's again.
		return {state: {...closed, server: {...closed.server, back: 0}}, effects: typed.sent.map(line => ({kind: 'inject', id, direction: input.direction, line}))};
	}

	const [line] = typed.sent as [string];
	const edit: RelaySteer = input.hex ? {kind: 'edit', seq: input.seq, hex: line} : {kind: 'edit', seq: input.seq, text: line};
	return {state: {...closed, server: {...closed.server, back: 0}}, effects: [{kind: 'steer', id, command: edit}, {kind: 'steer', id, command: {kind: 'release', all: false, seq: input.seq}}]};
}

function broadcastInput(state: ScreenState, key: Key): KeyResult {
	const {server} = state;
	if (key.kind === 'named' && key.name === 'escape') {
		return {state: {...state, server: {...server, broadcasting: false, broadcast: emptyLine}}, effects: none};
	}

	const typed = type(server.broadcast, key);
	if (!typed) {
		return {state, effects: none};
	}

	if (typed.sent.length > 0) {
		return {state: {...state, server: {...server, broadcasting: false, broadcast: emptyLine}}, effects: typed.sent.map(line => ({kind: 'broadcast', line}))};
	}

	return {state: {...state, server: {...server, broadcast: typed.line}}, effects: none};
}

/** Keys outside an input box: each pane's keys, then the keys every pane shares. */
function command(state: ScreenState, key: Key, context: KeyContext): KeyResult {
	if (key.kind === 'paste') {
		return {state, effects: none};
	}

	const pane = state.focus === 'server' ? serverKey(state, key, context) : (state.focus === 'udp' ? udpKey(state, key, context) : clientKey(state, key, context));
	if (pane) {
		return pane;
	}

	if (key.kind === 'text') {
		switch (key.text) {
			case 'q': {
				return {state, effects: [{kind: 'exit'}]};
			}

			case '?': {
				return {state: {...state, help: true, helpOffset: 0}, effects: none};
			}

			case 'x': {
				return {state: {...state, hex: !state.hex}, effects: none};
			}

			case 't': {
				return {state, effects: [{kind: 'command', line: '/timeline'}]};
			}

			case 'z': {
				return {state: {...state, zoom: !state.zoom}, effects: none};
			}

			case 'e': {
				return {state, effects: [{kind: 'command', line: '/explain'}]};
			}

			default: {
				break;
			}
		}
	}

	return {state, effects: none};
}

function serverKey(state: ScreenState, key: Key, context: KeyContext): KeyResult | undefined {
	const {server} = state;
	if (server.openId !== undefined) {
		// A closed connection's transcript: no input, but Esc and scrolling still work.
		if (key.kind === 'named') {
			if (key.name === 'escape') {
				// A relay's "nothing is held" was about this transcript.
				return {state: {...state, server: {...server, openId: undefined}}, effects: server.relay ? [{kind: 'clear-notice'}] : none};
			}

			const back = scroll(server.back, key.name, context.heights.serverTranscript, context.lengths.connection(server.openId), false);
			if (back !== undefined) {
				return {state: {...state, server: {...server, back}}, effects: none};
			}
		}

		return server.relay ? relayKey(state, server.openId, key, context) : undefined;
	}

	const last = Math.max(0, context.order.length - 1);
	const selected = Math.min(server.selected, last);
	if (key.kind === 'named') {
		const height = context.heights.serverList;
		const by = {'up': -1, 'down': 1, 'page-up': -height, 'page-down': height}[key.name as string];
		if (by !== undefined) {
			const next = Math.max(0, Math.min(last, selected + by));
			return {state: {...state, server: {...server, selected: next, offset: scrollTo(next, server.offset, height)}}, effects: none};
		}

		if (key.name === 'return' && context.order[selected] !== undefined) {
			return {state: {...state, server: {...server, selected, openId: context.order[selected], line: emptyLine, back: 0, relayInput: undefined}}, effects: none};
		}

		return undefined;
	}

	if (key.kind === 'text' && key.text === 'k' && context.order[selected] !== undefined) {
		return {state, effects: [{kind: 'kick', id: context.order[selected]}]};
	}

	if (key.kind === 'text' && key.text === 'b' && !server.relay) {
		return {state: {...state, server: {...server, broadcasting: true, broadcast: emptyLine}}, effects: none};
	}

	return undefined;
}

/**
 * A relay transcript's keys: u/d pause or resume a direction, r releases the oldest held message
 * (R all of them), e edits it, Delete drops it, > and < open the input box to inject a line
 * toward the upstream or the client.
 */
function relayKey(state: ScreenState, id: number, key: Key, context: KeyContext): KeyResult | undefined {
	const view = context.relay?.(id);
	if (!view || !context.isOpen(id)) {
		return undefined;
	}

	const steer = (command: RelaySteer): KeyResult => ({state, effects: [{kind: 'steer', id, command}]});
	const held = view.oldestHeld;
	if (key.kind === 'named') {
		// The engine's oldest at the time it gets there: Delete Delete in one burst drops two.
		return (key.name === 'delete' || key.name === 'backspace') && held ? steer({kind: 'drop'}) : undefined;
	}

	if (key.kind !== 'text') {
		return undefined;
	}

	switch (key.text) {
		case 'u':
		case 'd': {
			const direction = key.text === 'u' ? 'up' : 'down';
			// Toggled where the engine is: u u in one burst pauses and resumes.
			return steer({kind: 'pause', direction, paused: 'toggle'});
		}

		case 'r':
		case 'R': {
			return held ? steer({kind: 'release', all: key.text === 'R'}) : {state, effects: [{kind: 'notify', text: `nothing is held to release: ${howToHold}`}]};
		}

		case 'e': {
			if (!held) {
				return {state, effects: [{kind: 'notify', text: `nothing is held to edit: ${howToHold}`}]};
			}

			// Text when it is text; hex digits when it is not (or when the hex view is on).
			const hex = held.base64 !== undefined || state.hex;
			const text = hex ? hexDigits(held.base64 === undefined ? Buffer.from(held.text, 'utf8') : Buffer.from(held.base64, 'base64')) : held.text;
			return {state: {...state, server: {...state.server, relayInput: {kind: 'edit', seq: held.seq, hex}, line: {text, cursor: text.length}}}, effects: none};
		}

		case '>':
		case '<': {
			return {state: {...state, server: {...state.server, relayInput: {kind: 'inject', direction: key.text === '>' ? 'up' : 'down'}, line: emptyLine}}, effects: none};
		}

		default: {
			return undefined;
		}
	}
}

/** What a relay key that acts on held messages says when there are none. */
const howToHold = 'u or d pauses a direction, then what arrives waits for r, e or Delete';

/** Bytes as `00 01 ff`, for editing in hex. */
function hexDigits(bytes: Uint8Array): string {
	return [...bytes].map(byte => byte.toString(16).padStart(2, '0')).join(' ');
}

function udpKey(state: ScreenState, key: Key, context: KeyContext): KeyResult | undefined {
	if (key.kind !== 'named') {
		return undefined;
	}

	const back = scroll(state.udp.back, key.name, context.heights.udp, context.lengths.udp, true);
	return back === undefined ? undefined : {state: {...state, udp: {back}}, effects: none};
}

/** The client pane after Esc: its keys are commands until Enter (or a letter) returns to typing. */
function clientKey(state: ScreenState, key: Key, context: KeyContext): KeyResult | undefined {
	const {client} = state;
	if (key.kind === 'named') {
		if (key.name === 'return') {
			return {state: {...state, client: {...client, editing: true}}, effects: none};
		}

		const back = scroll(client.back, key.name, context.heights.clientTranscript, context.lengths.client, true);
		return back === undefined ? undefined : {state: {...state, client: {...client, back}}, effects: none};
	}

	if (key.kind === 'text' && !['q', '?', 'x'].includes(key.text)) {
		// Typing again: back to the input box, with this letter in it.
		return clientInput({...state, client: {...client, editing: true}}, key, context);
	}

	return undefined;
}
