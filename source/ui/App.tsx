import {Box, useApp} from 'ink';
import React, {useState, useSyncExternalStore} from 'react';
import type {Store} from '../state/store.js';
import type {Actions} from './actions.js';
import {ClientPane} from './ClientPane.js';
import {footerHints} from './footer.js';
import {HelpOverlay} from './HelpOverlay.js';
import type {Key} from './keys.js';
import {ScreenModel} from './screen-model.js';
import type {Effect, KeyContext, Mode} from './screen-state.js';
import {serverListHeight, serverTranscriptHeight, ServerPane} from './ServerPane.js';
import {StatusBar} from './StatusBar.js';
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
};

type Layout = {
	readonly height: number;
	readonly topHeight: number;
	readonly serverWidth: number;
	readonly clientHeight: number;
};

function layoutFor(mode: Mode, rows: number, columns: number): Layout {
	// The root stays one row short of the terminal: Ink 6 clears the screen on every frame otherwise.
	const height = Math.max(6, rows - 2);
	const topHeight = mode === 'all' ? Math.max(6, Math.floor(height * 0.5)) : height;
	return {height, topHeight, serverWidth: Math.floor(columns * 0.6), clientHeight: height - (mode === 'all' ? topHeight : 0)};
}

/**
 * The whole screen: panes by mode, a status line, the help overlay. Keys are read here, once,
 * and each is applied (screen-state.ts) to the state the key before it left, held in a ref —
 * not to the last frame's props — then the frame is redrawn.
 */
export function App({store, actions, mode, rows: fixedRows, columns: fixedColumns, history: initialHistory}: Props) {
	const {exit} = useApp();
	useStoreVersion(store);
	const now = useNow();
	const terminal = useTerminalSize();
	const rows = fixedRows ?? terminal.rows;
	const columns = fixedColumns ?? terminal.columns;
	const layout = layoutFor(mode, rows, columns);
	const [history] = useState<string[]>(() => initialHistory ?? []);
	const [model] = useState(() => new ScreenModel(mode));
	const state = useSyncExternalStore(model.subscribe, model.getSnapshot);

	const isOpen = (id: number): boolean => store.rows.get(id)?.state === 'open';
	// Read when a key arrives: the store as it is then, and the latest frame's layout.
	const context = (): KeyContext => {
		const {topHeight, clientHeight} = layout;
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
			lengths: {client: store.client.transcript.length, connection: id => store.rows.get(id)?.transcript.length ?? 0, udp: store.udp.feed.length},
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

			case 'exit': {
				exit();
				break;
			}
		}
	};

	useKeys((key: Key) => {
		for (const effect of model.press(key, context())) {
			apply(effect);
		}
	});

	const {height, topHeight, serverWidth, clientHeight} = layout;
	const top = mode === 'connect' ? null : (
		<Box height={topHeight}>
			<ServerPane store={store} width={serverWidth} height={topHeight} focused={state.focus === 'server' && !state.help} hex={state.hex} now={now} view={state.server} />
			<UdpPane store={store} width={columns - serverWidth} height={topHeight} focused={state.focus === 'udp' && !state.help} hex={state.hex} now={now} back={state.udp.back} />
		</Box>
	);

	const bottom = mode === 'serve' ? null : (
		<ClientPane
			store={store}
			width={columns}
			height={clientHeight}
			focused={state.focus === 'client' && !state.help}
			editing={state.client.editing}
			hex={state.hex}
			line={state.client.line}
			back={state.client.back}
		/>
	);

	return (
		<Box flexDirection="column" width={columns} height={height + 1}>
			{state.help ? <HelpOverlay width={columns} height={height} /> : (
				<>
					{top}
					{bottom}
				</>
			)}
			<StatusBar store={store} width={columns} hex={state.hex} now={now} hints={footerHints(state, mode, isOpen)} />
		</Box>
	);
}
