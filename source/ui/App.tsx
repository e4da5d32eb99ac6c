import {Box, useApp, useInput} from 'ink';
import React, {useCallback, useState} from 'react';
import type {Store} from '../state/store.js';
import type {Actions} from './actions.js';
import {ClientPane} from './ClientPane.js';
import {HelpOverlay} from './HelpOverlay.js';
import {ServerPane} from './ServerPane.js';
import {StatusBar} from './StatusBar.js';
import {UdpPane} from './UdpPane.js';
import {useNow} from './use-now.js';
import {useStoreVersion} from './use-store.js';
import {useTerminalSize} from './use-terminal-size.js';

export type Mode = 'all' | 'serve' | 'connect';

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

/** The whole screen: panes by mode, a status line, the help overlay. */
export function App({store, actions, mode, rows: fixedRows, columns: fixedColumns, history: initialHistory}: Props) {
	const {exit} = useApp();
	useStoreVersion(store);
	const now = useNow();
	const terminal = useTerminalSize();
	const rows = fixedRows ?? terminal.rows;
	const columns = fixedColumns ?? terminal.columns;
	const [help, setHelp] = useState(false);
	const [hex, setHex] = useState(false);
	const [history] = useState<string[]>(() => initialHistory ?? []);
	const [clientFocused, setClientFocused] = useState(mode !== 'serve');
	const [serverTyping, setServerTyping] = useState(false);

	useInput((input, key) => {
		if (key.ctrl && input === 'c') {
			exit();
			return;
		}

		if (help) {
			if (key.escape || input === '?' || input === 'q') {
				setHelp(false);
			}

			return;
		}

		if (clientFocused || serverTyping) {
			return; // Letters are text in an input box.
		}

		if (input === 'q') {
			exit();
		} else if (input === '?') {
			setHelp(true);
		} else if (input === 'x') {
			setHex(value => !value);
		}
	});

	const submit = useCallback((line: string) => {
		if (line.trim() !== '' && history.at(-1) !== line) {
			history.push(line);
		}

		actions.submit(line);
	}, [actions, history]);

	// The root stays one row short of the terminal: Ink 6 clears the screen on every frame otherwise.
	const height = Math.max(6, rows - 2);
	const inputActive = !help;
	const topHeight = mode === 'all' ? Math.max(6, Math.floor(height * 0.5)) : height;
	const serverWidth = Math.floor(columns * 0.6);

	const top = mode === 'connect' ? null : (
		<Box height={topHeight}>
			<ServerPane autoFocus={mode === 'serve'} store={store} width={serverWidth} height={topHeight} inputActive={inputActive} hex={hex} now={now} onKick={actions.kick} onSend={actions.sendTo} onBroadcast={actions.broadcast} onTypingChange={setServerTyping} />
			<UdpPane store={store} width={columns - serverWidth} height={topHeight} inputActive={inputActive} hex={hex} now={now} />
		</Box>
	);

	const bottom = mode === 'serve' ? null : (
		<ClientPane
			store={store}
			width={columns}
			height={height - (mode === 'all' ? topHeight : 0)}
			inputActive={inputActive}
			hex={hex}
			history={history}
			onSubmit={submit}
			onFocusChange={setClientFocused}
		/>
	);

	return (
		<Box flexDirection="column" width={columns} height={height + 1}>
			{help ? <HelpOverlay width={columns} height={height} /> : (
				<>
					{top}
					{bottom}
				</>
			)}
			<StatusBar store={store} width={columns} hex={hex} now={now} />
		</Box>
	);
}
