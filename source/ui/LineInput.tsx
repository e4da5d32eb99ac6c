import {Box, Text, useInput} from 'ink';
import TextInput from 'ink-text-input';
import React, {useRef, useState} from 'react';
import {fit} from './format.js';

type Props = {
	/** Shown before the text, e.g. `› `. */
	readonly prompt: string;
	readonly placeholder: string;
	/** Columns for prompt and text together. */
	readonly width: number;
	/** Takes keys only while active; otherwise shows its text dimmed. */
	readonly active: boolean;
	readonly onSubmit: (line: string) => void;
	/** Lines submitted before, oldest first: ↑/↓ walk them when given. */
	readonly history?: readonly string[];
	readonly inactiveText?: string;
};

/** One line of text entry (ink-text-input) that never grows the layout, with optional history. */
export function LineInput({prompt, placeholder, width, active, onSubmit, history, inactiveText = ''}: Props) {
	const [value, setValue] = useState('');
	// The latest text, ahead of React: keys that arrive in one chunk ("Michael\r", a paste)
	// reach the handlers before the re-render that would give them the new value.
	const latest = useRef('');
	// Position in history while walking it (undefined: the line being typed).
	const cursor = useRef<number | undefined>(undefined);
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

	useInput((_input, key) => {
		if (!history || history.length === 0) {
			return;
		}

		if (key.upArrow) {
			const next = Math.max(0, (cursor.current ?? history.length) - 1);
			cursor.current = next;
			set(history[next]!);
		} else if (key.downArrow && cursor.current !== undefined) {
			const next = cursor.current + 1;
			cursor.current = next >= history.length ? undefined : next;
			set(next >= history.length ? '' : history[next]!);
		}
	}, {isActive: active});

	const room = Math.max(1, width - prompt.length);
	return (
		<Box>
			<Text color={active ? 'cyan' : 'gray'}>{prompt}</Text>
			{active ? (
				// One line high: a long entry scrolls sideways instead of growing the pane.
				<Box width={room} height={1} overflow="hidden">
					<TextInput
						showCursor
						value={value}
						placeholder={placeholder}
						onChange={change}
						onSubmit={() => {
							submit(latest.current);
						}}
					/>
				</Box>
			) : (
				<Text dimColor wrap="truncate">{fit(value === '' ? inactiveText : value, room)}</Text>
			)}
		</Box>
	);
}
