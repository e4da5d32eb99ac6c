import {Box, Text} from 'ink';
import React from 'react';
import {commandHelp} from './client-commands.js';
import {fit} from './format.js';

const keys = [
	['Tab / Shift+Tab', 'move the focus between panes (the focused one has a ●)'],
	['↑ ↓', 'server: select a connection · client: the input history · UDP: scroll'],
	['PgUp / PgDn', 'scroll the focused list or transcript'],
	['Enter', 'server: open the selected connection and type to it · client: send'],
	['Esc', 'back: close a transcript, cancel b, leave the input box, close this help'],
	['k', 'server: kick the selected connection'],
	['b', 'server: type one line to every open connection'],
	['x', 'hex view of the bytes received and sent, on/off (outside an input box)'],
	['t', 'timeline: a connection\'s every step (accept, recv, framing, send, FIN) with client ↔ server lanes'],
	['e', 'explain: lines and steps as the tutorial\'s socket calls (conn.recv(1024) -> b\'…\')'],
	['z', 'zoom: the focused pane alone, the whole window, on/off'],
	['?', 'this help (outside an input box; in it, type /help)'],
	['q', 'quit (outside an input box; from one, Esc then q)'],
	['Ctrl+C', 'quit, from anywhere'],
	['Editing', 'Home/End, Ctrl+A/E, Ctrl+←/→ by word, Delete, Ctrl+W, Alt+Backspace, Ctrl+U/K'],
] as const;

type Props = {readonly width: number; readonly height: number; readonly relay?: boolean; readonly replay?: boolean};

/** A replay's keys (replay-keys.ts), and what a replay's screen still does. */
const replayKeyHelp = [
	['Space', 'play / pause'],
	['. / ,', 'one event forward / back (paused)'],
	['← / →', 'seek a twentieth of the log back / forward'],
	['0 … 9', 'jump to 0 % … 90 % of the log; Home: before its first event; End: its last'],
	['+ / -', 'faster / slower (×0.1 … ×1024)'],
	['↑ ↓ / Enter', 'select a connection / open it: its transcript or timeline at that moment'],
	['t / e / x / z', 'timeline · explain (the tutorial\'s calls) · hex · zoom, on/off'],
	['Esc', 'back: close a transcript, close this help'],
	['q / Ctrl+C', 'quit'],
] as const;

/** A relay's screen: its list, a connection's steering keys, and what every screen shares. */
const relayKeys = [
	['↑ ↓ / Enter', 'select a relayed connection / open it: both directions, ↑ client→upstream, ↓ back'],
	['k', 'close the selected connection, both sides'],
	['u / d', 'pause or resume ↑ client → upstream / ↓ upstream → client (what arrives is held)'],
	['r / R', 'release the oldest held message / all of them, in order'],
	['e', 'edit the oldest held message (hex when it is not text); Enter sends it'],
	['Delete', 'drop the oldest held message: it is never sent'],
	['> / <', 'type a line to inject toward the upstream / the client; Enter sends it'],
	['PgUp / PgDn', 'scroll the transcript'],
	['Esc', 'back: cancel the input box, close a transcript, close this help'],
	['x', 'hex view of the bytes, on/off'],
	['t', 'timeline: every step with client ↔ upstream lanes, on/off (in a transcript: /timeline)'],
	['q / Ctrl+C', 'quit'],
] as const;

/** The keys and the client's commands (a relay's keys on a relay); any of Esc, ? or q closes it. */
export function HelpOverlay({width, height, relay = false, replay = false}: Props) {
	const inner = Math.max(0, width - 4);
	const all = replay ? [...replayKeyHelp.map(([key, what]) => `${fit(key, 18)}${what}`), '', 'A replay shows what was recorded: nothing is sent from it.'] : (relay
		? [...relayKeys.map(([key, what]) => `${fit(key, 18)}${what}`), '', 'In the input box: /hex 00 01 ff sends bytes as they are, /save FILE, /filter TEXT']
		: [
			...keys.map(([key, what]) => `${fit(key, 18)}${what}`),
			'',
			'Client commands:',
			...commandHelp.map(line => `  ${line}`),
		]);
	// What does not fit is said, not silently cut.
	const room = Math.max(0, height - 3);
	const shown = all.length <= room ? all : [...all.slice(0, Math.max(0, room - 1)), `… ${all.length - room + 1} more lines: a taller window shows them (/help in the client lists the commands)`];
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
			<Text bold color="cyan">socket-tui keys · Esc closes</Text>
			{shown.map((line, index) => (
				<Text key={index} wrap="truncate">{fit(line, inner)}</Text>
			))}
		</Box>
	);
}
