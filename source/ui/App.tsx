import {Box, Text, useApp} from 'ink';
import React, {useState, useSyncExternalStore} from 'react';
import type {Store} from '../state/store.js';
import type {Actions} from './actions.js';
import {ClientPane} from './ClientPane.js';
import {footerHints} from './footer.js';
import {fit} from './format.js';
import {HelpOverlay, helpLines, helpRoom} from './HelpOverlay.js';
import type {Key} from './keys.js';
import {ScreenModel} from './screen-model.js';
import {typingIn, type Effect, type KeyContext, type Mode, type RelayKeyView} from './screen-state.js';
import {serverListHeight, serverTranscriptHeight, ServerPane} from './ServerPane.js';
import {StatusBar} from './StatusBar.js';
import {TimeBar} from './TimeBar.js';
import {replayKeys, replayHints, type ReplayControl} from './replay-keys.js';
import {udpListHeight, UdpPane} from './UdpPane.js';
import {useKeys} from './use-keys.js';
import {useNow} from './use-now.js';
import {useStoreVersion} from './use-store.js';
import {useTerminalSize} from './use-terminal-size.js';

export type {Mode} from './screen-state.js';

type Props = {
	readonly store: Store;
	readonly actions: Actions;
	/** all: server, UDP and client · serve: server and UDP · connect: the client alone. */
	readonly mode: Mode;
	/** Terminal size; defaults to stdout's (tests pass it: ink-testing-library has no rows). */
	readonly rows?: number;
	readonly columns?: number;
	/** Input history to start from; the App appends what is submitted. */
	readonly history?: string[];
	/** The key state to use (tests compare two runs'); a new one by default. */
	readonly model?: ScreenModel;
	/** A replay (`socket-tui replay FILE`): a time bar and its keys; nothing is sent from the screen. */
	readonly replay?: ReplayControl;
};

export type {ReplayControl} from './replay-keys.js';

/** The smallest pane that can show its title, one line and its input, borders included. */
const minPane = {columns: 20, rows: 5};
/** The full layout of `all` and `serve` needs two panes side by side, and in `all` two rows of them. */
const minFull = {columns: 56, rows: {all: 12, serve: 7, connect: 7, relay: 7}};

type Layout = {
	/** full: every pane of the mode · single: the focused pane alone · too-small: one line. */
	readonly kind: 'full' | 'single' | 'too-small';
	/** Rows for the panes (the status line and one spare row aside). */
	readonly height: number;
	readonly topHeight: number;
	readonly serverWidth: number;
	readonly clientHeight: number;
};

function layoutFor(mode: Mode, rows: number, columns: number, zoom: boolean): Layout {
	// The frame stays one row short of the terminal: Ink 6 clears the screen on every frame otherwise.
	const height = rows - 2;
	if (columns < minPane.columns || height < minPane.rows) {
		return {kind: 'too-small', height, topHeight: 0, serverWidth: 0, clientHeight: 0};
	}

	if (mode === 'connect' || mode === 'relay' || zoom || columns < minFull.columns || rows < minFull.rows[mode]) {
		// One pane at a time, the whole window: Tab shows the next (connect and relay have one).
		return {kind: mode === 'connect' || mode === 'relay' ? 'full' : 'single', height, topHeight: height, serverWidth: columns, clientHeight: height};
	}

	const topHeight = mode === 'all' ? Math.max(minPane.rows, Math.floor(height * 0.5)) : height;
	return {kind: 'full', height, topHeight, serverWidth: Math.floor(columns * 0.6), clientHeight: height - (mode === 'all' ? topHeight : 0)};
}

/**
 * The whole screen: panes by mode, a status line, the help overlay. Keys are read here, once,
 * and each is applied (screen-state.ts) to the state the key before it left, held in a ref —
 * not to the last frame's props — then the frame is redrawn.
 */
export function App({store, actions, mode, rows: fixedRows, columns: fixedColumns, history: initialHistory, model: givenModel, replay}: Props) {
	const {exit} = useApp();
	useStoreVersion(store);
	const now = useNow(store.now);
	const terminal = useTerminalSize();
	// A replay's time bar takes a row from the panes.
	const rows = (fixedRows ?? terminal.rows) - (replay ? 1 : 0);
	const columns = fixedColumns ?? terminal.columns;
	const [history] = useState<string[]>(() => initialHistory ?? []);
	const [model] = useState(() => givenModel ?? new ScreenModel(mode));
	const state = useSyncExternalStore(model.subscribe, model.getSnapshot);
	const layout = layoutFor(mode, rows, columns, state.zoom);
	const {kind, height, topHeight, serverWidth, clientHeight} = layout;

	// In a replay nothing can be typed to a connection: its transcript takes keys, as a closed one's.
	const isOpen = (id: number): boolean => replay === undefined && store.rows.get(id)?.state === 'open';
	const relayKeyView = (id: number): RelayKeyView | undefined => {
		const relay = store.rows.get(id)?.relay;
		return relay ? {oldestHeld: relay.held[0]} : undefined;
	};
	// Read when a key arrives: the store as it is then, and the latest frame's layout.
	const context = (): KeyContext => {
		return {
			mode,
			order: store.order,
			isOpen,
			history,
			heights: {
				serverList: serverListHeight(topHeight, model.getSnapshot().server.broadcasting),
				serverTranscript: serverTranscriptHeight(topHeight),
				clientTranscript: Math.max(0, clientHeight - 4),
				udp: udpListHeight(topHeight),
			},
			// A timeline scrolls its steps (and its header); a transcript its lines.
			lengths: {
				client: store.timeline ? store.client.steps.length + 1 : store.client.transcript.length,
				connection: id => (store.timeline ? (store.rows.get(id)?.steps.length ?? 0) + 1 : (store.rows.get(id)?.transcript.length ?? 0)),
				udp: store.udp.feed.length,
			},
			relay: relayKeyView,
			repeating: store.client.repeat !== undefined,
			help: {lines: helpLines(columns, mode === 'relay', replay !== undefined).length, room: helpRoom(height)},
		};
	};

	const apply = (effect: Effect): void => {
		switch (effect.kind) {
			case 'submit': {
				if (effect.line.trim() !== '' && history.at(-1) !== effect.line) {
					history.push(effect.line);
				}

				actions.submit(effect.line);
				break;
			}

			case 'send-to': {
				actions.sendTo(effect.id, effect.line);
				break;
			}

			case 'broadcast': {
				actions.broadcast(effect.line);
				break;
			}

			case 'kick': {
				actions.kick(effect.id);
				break;
			}

			case 'steer': {
				// A "nothing is held" said before this key no longer applies.
				store.clearNotice();
				actions.steer(effect.id, effect.command);
				break;
			}

			case 'inject': {
				actions.inject(effect.id, effect.direction, effect.line);
				break;
			}

			case 'command': {
				actions.submit(effect.line);
				break;
			}

			case 'notify': {
				store.notify(effect.text);
				break;
			}

			case 'clear-notice': {
				store.clearNotice();
				break;
			}

			case 'exit': {
				exit();
				break;
			}
		}
	};

	const press = (key: Key): void => {
		for (const effect of model.press(key, context())) {
			apply(effect);
		}
	};

	useKeys((key: Key) => {
		// The help, and input boxes, take keys as live.
		if (!replay || model.getSnapshot().help || typingIn(model.getSnapshot(), {isOpen}) !== undefined) {
			press(key);
			return;
		}

		// A replay, outside an input box: a burst is taken key by key (`....t` steps four times,
		// then shows the timeline), each to the replay's keys or the screen's.
		for (const one of key.kind === 'text' && key.text.length > 1 ? [...key.text].map(text => ({kind: 'text', text}) as const) : [key]) {
			if (model.getSnapshot().help || typingIn(model.getSnapshot(), {isOpen}) !== undefined) {
				press(one);
			} else if (one.kind === 'text' && one.text === 'b') {
				actions.broadcast(''); // Told that a replay sends nothing.
			} else if (!replayKeys(one, replay)) {
				press(one);
			}
		}
	});

	const focus = state.help ? undefined : state.focus;
	// Alone, a pane takes the whole window; in the full layout, its place.
	const shows = (pane: 'server' | 'udp' | 'client'): boolean => kind === 'full' || state.focus === pane;
	const server = mode !== 'connect' && shows('server') ? (
		<ServerPane store={store} width={kind === 'full' ? serverWidth : columns} height={topHeight} focused={focus === 'server'} hex={state.hex} now={now} view={state.server} />
	) : null;
	const udp = mode !== 'connect' && mode !== 'relay' && shows('udp') ? (
		<UdpPane store={store} width={kind === 'full' ? columns - serverWidth : columns} height={topHeight} focused={focus === 'udp'} hex={state.hex} now={now} back={state.udp.back} />
	) : null;
	const client = mode !== 'serve' && mode !== 'relay' && shows('client') ? (
		<ClientPane
			store={store}
			width={columns}
			height={clientHeight}
			focused={focus === 'client'}
			editing={state.client.editing}
			hex={state.hex}
			line={state.client.line}
			back={state.client.back}
		/>
	) : null;

	if (kind === 'too-small') {
		return <Text wrap="truncate">{fit(`too small: ${minPane.columns}×${minPane.rows + 2 + (replay ? 1 : 0)} · Ctrl+C quits`, columns)}</Text>;
	}

	return (
		<Box flexDirection="column" width={columns} height={height + 1 + (replay ? 1 : 0)}>
			{state.help ? <HelpOverlay width={columns} height={height} relay={mode === 'relay'} replay={replay !== undefined} offset={state.helpOffset} /> : (
				<>
					{server || udp ? <Box height={topHeight}>{server}{udp}</Box> : null}
					{client}
				</>
			)}
			{replay ? <TimeBar player={replay} width={columns} /> : null}
			<StatusBar store={store} width={columns} hex={state.hex} now={now} hints={replay && typingIn(state, {isOpen}) === undefined ? replayHints : footerHints(state, mode, isOpen)} />
		</Box>
	);
}
