import {Box, Text, useFocus, useInput} from 'ink';
import TextInput from 'ink-text-input';
import React, {useEffect, useRef, useState} from 'react';
import {formatHostPort} from '../net/address.js';
import type {Store} from '../state/store.js';
import {fit} from './format.js';
import {Pane} from './Pane.js';
import {useHoldFocus} from './use-hold-focus.js';
import {TranscriptView} from './TranscriptView.js';

type Props = {
	readonly store: Store;
	readonly width: number;
	readonly height: number;
	readonly inputActive: boolean;
	readonly hex: boolean;
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
	const [value, setValue] = useState('');
	// The latest text, ahead of React: keys that arrive in one chunk ("Michael\r", a paste)
	// reach onSubmit before the re-render that would give it the new value.
	const latest = useRef('');
	const set = (text: string): void => {
		latest.current = text;
		setValue(text);
	};

	const submit = (line: string): void => {
		set('');
		cursor.current = undefined;
		onSubmit(line);
	};

	// A paste, or keys that arrive in one chunk, can hold line breaks: each one sends a line.
	const change = (text: string): void => {
		const lines = text.split(/\r\n|\r|\n/);
		const rest = lines.pop()!;
		for (const line of lines) {
			submit(line);
		}

		set(rest);
	};

	// Position in history while walking it with ↑/↓ (undefined: the line being typed). A ref,
	// not state: held-down arrows arrive faster than React re-renders the handler.
	const cursor = useRef<number | undefined>(undefined);
	const active = isFocused && inputActive;

	useInput((_input, key) => {
		if (key.upArrow && history.length > 0) {
			const next = Math.max(0, (cursor.current ?? history.length) - 1);
			cursor.current = next;
			set(history[next]!);
		} else if (key.downArrow && cursor.current !== undefined) {
			const next = cursor.current + 1;
			cursor.current = next >= history.length ? undefined : next;
			set(next >= history.length ? '' : history[next]!);
		}
	}, {isActive: active});

	const {client} = store;
	const where = client.remote ? formatHostPort(client.remote.host, client.remote.port) : 'not connected';
	const reason = client.state !== 'connected' && client.state !== 'connecting' && client.reason ? ` (${client.reason})` : '';
	const inner = Math.max(0, width - 2);
	return (
		<Pane title={`Client → ${where}`} status={`${client.state}${reason}`} statusColor={stateColors[client.state] ?? 'red'} focused={isFocused} width={width} height={height}>
			<TranscriptView lines={client.transcript} width={inner} height={height - 4} hex={hex} active={active} />
			<Box>
				<Text color={isFocused ? 'cyan' : 'gray'}>› </Text>
				{active ? (
					// One line high: a long entry scrolls sideways instead of growing the pane.
					<Box width={Math.max(1, inner - 2)} height={1} overflow="hidden">
						<TextInput
						value={value}
						showCursor
						placeholder={client.state === 'connected' ? 'type a message, Enter sends · /help' : '/connect HOST:PORT · /help'}
						onChange={change}
						onSubmit={() => {
							submit(latest.current);
						}}
						/>
					</Box>
				) : (
					<Text dimColor wrap="truncate">{fit(value === '' ? 'Tab here to type' : value, Math.max(0, inner - 2))}</Text>
				)}
			</Box>
		</Pane>
	);
}
