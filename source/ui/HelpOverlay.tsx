import {Box, Text} from 'ink';
import React from 'react';
import {commandHelp} from './client-commands.js';
import {columns, fit} from './format.js';

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

type Props = {readonly width: number; readonly height: number; readonly relay?: boolean; readonly replay?: boolean; readonly offset?: number};

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

const keyColumn = 18;

/**
 * The help's lines at `width` columns: each entry wrapped at word boundaries, its continuation
 * lines indented under the description (nothing is cut off at 80 columns).
 */
export function helpLines(width: number, relay: boolean, replay: boolean): string[] {
	const inner = Math.max(1, width - 4);
	// Narrow: each key on a line of its own, its description under it.
	const narrow = inner < keyColumn + 32;
	const entries = (table: ReadonlyArray<readonly [string, string]>): string[] => table.flatMap(([key, what]) => (narrow
		? [key, ...wrapped(`  ${what}`, inner, 2)]
		: wrapped(`${fit(key, keyColumn)}${what}`, inner, keyColumn)));
	if (replay) {
		return [...entries(replayKeyHelp), '', ...wrapped('A replay shows what was recorded: nothing is sent from it.', inner, 0)];
	}

	if (relay) {
		return [...entries(relayKeys), '', ...wrapped('In the input box: /hex 00 01 ff sends bytes as they are, /save FILE, /filter TEXT', inner, 0)];
	}

	return [...entries(keys), '', 'Client commands:', ...commandHelp.flatMap(line => wrapped(`  ${line}`, inner, 4))];
}

/**
 * `text` cut into lines of at most `width` columns at spaces, continuations indented by `indent`;
 * a word longer than a line is split across lines, never cut off.
 */
function wrapped(text: string, width: number, indent: number): string[] {
	const lead = ' '.repeat(Math.min(indent, Math.max(0, width - 8)));
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/(?<= )/)) {
		if (line.trim() !== '' && columns(line + word.trimEnd()) > width) {
			lines.push(line.trimEnd());
			line = lead;
		}

		for (const character of word) {
			if (columns(line + character) > width) {
				lines.push(line);
				line = lead;
			}

			line += character;
		}
	}

	lines.push(line.trimEnd());
	return lines;
}

/** The rows the help's lines get in a window of `height` rows (its border and title take three). */
export function helpRoom(height: number): number {
	return Math.max(1, height - 3);
}

/** The keys and the client's commands (a relay's keys on a relay), scrolled to `offset`; any of Esc, ? or q closes it. */
export function HelpOverlay({width, height, relay = false, replay = false, offset = 0}: Props) {
	const inner = Math.max(0, width - 4);
	const all = helpLines(width, relay, replay);
	const room = helpRoom(height);
	const top = Math.max(0, Math.min(offset, all.length - room));
	const shown = all.slice(top, top + room);
	const where = all.length > room ? ` · lines ${top + 1}–${top + shown.length} of ${all.length}, ↑↓ PgUp PgDn scroll` : '';
	const title = `socket-tui keys · Esc closes${where}`;
	// Narrow: the position first, the rest as it fits.
	const short = all.length > room ? `keys ${top + 1}–${top + shown.length}/${all.length} · ↑↓ · Esc` : 'keys · Esc closes';
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
			<Text bold color="cyan" wrap="truncate">{fit(columns(title) <= inner ? title : short, inner)}</Text>
			{shown.map((line, index) => (
				<Text key={top + index} wrap="truncate">{fit(line, inner)}</Text>
			))}
		</Box>
	);
}
