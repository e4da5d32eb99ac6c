import cliTruncate from 'cli-truncate';
import {Box, Text} from 'ink';
import React from 'react';
import {columns, fit} from './format.js';
import {atCursor, type LineEditor} from './line-editor.js';

type Props = {
	/** Shown before the text, e.g. `› `. */
	readonly prompt: string;
	readonly placeholder: string;
	/** Columns for prompt and text together. */
	readonly width: number;
	/** Shows the cursor while active; otherwise the text dimmed. */
	readonly active: boolean;
	/** What is typed and where the cursor is (the keys are handled in screen-state.ts). */
	readonly line: LineEditor;
	readonly inactiveText?: string;
};

/**
 * One line of text entry that never grows the layout: a long line scrolls sideways to keep the
 * cursor in view. Drawing only; editing is line-editor.ts, keys are screen-state.ts.
 */
export function LineInput({prompt: fullPrompt, placeholder, width, active, line, inactiveText = ''}: Props) {
	// A long prompt (`› to [2001:db8::1]:54321: `) gives way to the text: at most half the line.
	const prompt = columns(fullPrompt) > Math.floor(width / 2) ? fit(fullPrompt, Math.max(1, Math.floor(width / 2))) : fullPrompt;
	const room = Math.max(1, width - columns(prompt));
	if (!active) {
		return (
			<Box>
				<Text color="gray" wrap="truncate">{prompt}{fit(line.text === '' ? inactiveText : line.text, room)}</Text>
			</Box>
		);
	}

	if (line.text === '') {
		return (
			<Box>
				<Text color="cyan" wrap="truncate">{prompt}</Text>
				<Text inverse>{placeholder.slice(0, 1) || ' '}</Text>
				<Text dimColor wrap="truncate">{fit(placeholder.slice(1), room - 1)}</Text>
			</Box>
		);
	}

	const {before, under, after} = atCursor(line);
	const cursor = under === '' ? ' ' : under;
	// Keep the cursor on screen: the start of a long line gives way first.
	const roomBefore = Math.max(0, room - columns(cursor));
	const shownBefore = columns(before) > roomBefore ? cliTruncate(before, roomBefore, {position: 'start'}) : before;
	const roomAfter = Math.max(0, room - columns(shownBefore) - columns(cursor));
	return (
		<Box>
			<Text color="cyan" wrap="truncate">{prompt}</Text>
			<Text wrap="truncate">{shownBefore}</Text>
			<Text inverse>{cursor}</Text>
			<Text wrap="truncate">{fit(after, roomAfter)}</Text>
		</Box>
	);
}
