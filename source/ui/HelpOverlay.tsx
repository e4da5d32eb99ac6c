import {Box, Text} from 'ink';
import React from 'react';
import {commandHelp} from './client-commands.js';
import {fit} from './format.js';

const keys = [
	['Tab / Shift+Tab', 'move focus between panes'],
	['↑ ↓', 'select a connection · walk input history · scroll the feed'],
	['PgUp / PgDn', 'scroll the focused list or transcript'],
	['Enter', 'server: open the selected connection · client: send'],
	['Esc', 'back / close this help'],
	['k', 'server: kick the selected connection'],
	['b', 'server: type a line to every open connection'],
	['Enter (server)', 'open a connection: its transcript, and type to it'],
	['x', 'hex view of remote bytes on/off (not in the input)'],
	['?', 'this help (not in the input; there: /help)'],
	['q / Ctrl+C', 'quit (q not in the input)'],
] as const;

type Props = {readonly width: number; readonly height: number};

/** The keys and the client's commands; any of Esc, ? or q closes it. */
export function HelpOverlay({width, height}: Props) {
	const inner = Math.max(0, width - 4);
	const lines = [
		...keys.map(([key, what]) => `${fit(key, 18)}${what}`),
		'',
		'Client commands:',
		...commandHelp.map(line => `  ${line}`),
	].slice(0, Math.max(0, height - 3));
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
			<Text bold color="cyan">socket-tui keys · Esc closes</Text>
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate">{fit(line, inner)}</Text>
			))}
		</Box>
	);
}
