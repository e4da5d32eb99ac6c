import {useFocus} from 'ink';
import React, {useEffect} from 'react';
import {formatHostPort} from '../net/address.js';
import {LineInput} from './LineInput.js';
import {Pane} from './Pane.js';
import type {PaneProps} from './pane-props.js';
import {useHoldFocus} from './use-hold-focus.js';
import {TranscriptView} from './TranscriptView.js';

type Props = PaneProps & {
	/** Called with each submitted line (a message or a /command). */
	readonly onSubmit: (line: string) => void;
	/** Lines submitted before, oldest first (↑/↓ walk them). */
	readonly history: readonly string[];
	/** Told when the input gains or loses focus (letters are text while it has it). */
	readonly onFocusChange?: (focused: boolean) => void;
};

const stateColors: Record<string, string> = {connected: 'green', connecting: 'yellow', closed: 'gray', idle: 'gray'};

/** The interactive client: its transcript and an input line with history. */
export function ClientPane({store, width, height, inputActive, hex, onSubmit, history, onFocusChange}: Props) {
	const {isFocused} = useFocus({id: 'client', autoFocus: true});
	useHoldFocus('client', isFocused);
	useEffect(() => {
		onFocusChange?.(isFocused);
	}, [isFocused, onFocusChange]);
	const active = isFocused && inputActive;

	const {client} = store;
	const where = client.remote ? formatHostPort(client.remote.host, client.remote.port) : 'not connected';
	const reason = client.state !== 'connected' && client.state !== 'connecting' && client.reason ? ` (${client.reason})` : '';
	const inner = Math.max(0, width - 2);
	return (
		<Pane title={`Client → ${where}`} status={`${client.state}${reason}`} statusColor={stateColors[client.state] ?? 'red'} focused={isFocused} width={width} height={height}>
			<TranscriptView lines={client.transcript} width={inner} height={height - 4} hex={hex} active={active} filter={store.filters.get('client')} />
			<LineInput
				prompt="› "
				width={inner}
				active={active}
				history={history}
				placeholder={client.state === 'connected' ? 'type a message, Enter sends · /help' : '/connect HOST:PORT · /help'}
				inactiveText="Tab here to type"
				onSubmit={onSubmit}
			/>
		</Pane>
	);
}
