import {Box, Text} from 'ink';
import React from 'react';
import {columns, fit} from './format.js';

type Props = {
	readonly title: string;
	readonly focused: boolean;
	readonly width: number;
	/** Outer height, borders included. */
	readonly height: number;
	/** Shown at the right of the title line (counts, state). */
	readonly status?: string;
	readonly statusColor?: string;
	readonly children: React.ReactNode;
};

/** A bordered pane; the focused one has a bold cyan border and a ● before its title (visible without colour too). */
export function Pane({title, focused, width, height, status = '', statusColor, children}: Props) {
	const inner = Math.max(0, width - 2);
	// The status gives way to the title's first words when the pane is narrow; neither crosses the border.
	const shownStatus = status === '' ? '' : fit(status, Math.min(columns(status), Math.max(0, inner - 8)));
	const head = fit(`${focused ? '●' : '○'} ${title}`, Math.max(0, inner - (shownStatus === '' ? 0 : columns(shownStatus) + 1)));
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'}>
			<Text wrap="truncate">
				<Text bold={focused} color={focused ? 'cyan' : undefined}>{head}</Text>
				{shownStatus ? <Text color={statusColor}> {shownStatus}</Text> : null}
			</Text>
			{children}
		</Box>
	);
}
