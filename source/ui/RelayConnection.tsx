import {Text} from 'ink';
import React from 'react';
import type {ConnectionRow} from '../state/store.js';
import {count, fit, shown} from './format.js';
import {LineInput} from './LineInput.js';
import type {ScreenState} from './screen-state.js';
import {TimelineView} from './TimelineView.js';
import {relayArrows, TranscriptView} from './TranscriptView.js';
import {WindowedList, type ListRow} from './WindowedList.js';

type Props = {
	readonly row: ConnectionRow | undefined;
	readonly id: number;
	/** Inner width and the rows under the pane's title. */
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly hex: boolean;
	readonly view: ScreenState['server'];
	readonly filter: Parameters<typeof TranscriptView>[0]['filter'];
	/** Lines as the tutorial's calls (/explain). */
	readonly explain: boolean;
	/** /timeline: its steps with a swimlane instead of the transcript. */
	readonly timeline: boolean;
	/** A replay: shown as recorded, never steered. */
	readonly replaying: boolean;
};

/** Held messages listed under the transcript, at most. */
const maxHeldShown = 4;

/** Rows the relay transcript's lines get in `height` rows (held list, state line and input aside). */
export function relayTranscriptHeight(height: number, held: number): number {
	return Math.max(0, height - 2 - Math.min(held, maxHeldShown));
}

/**
 * One relayed connection: its transcript (↑ client → upstream, ↓ upstream → client), what a
 * paused direction holds (oldest first: what r, e and Delete act on), each direction's state,
 * and the input box while injecting or editing.
 */
export function RelayConnection({row, id, width, height, focused, hex, view, filter, explain, timeline, replaying}: Props) {
	const relay = row?.relay;
	const held = relay?.held ?? [];
	const heldRows = held.slice(0, maxHeldShown).map((line, index): ListRow => ({
		text: fit(`${index === 0 ? '▸' : ' '} held #${line.seq} ${relayArrows[line.direction]} ${shown(line.text, line.base64, hex)}  (${count(line.bytes)} B)`, width),
		color: 'yellow',
	}));
	if (held.length > maxHeldShown) {
		heldRows[maxHeldShown - 1] = {text: fit(`  … ${held.length - maxHeldShown + 1} more held`, width), color: 'yellow'};
	}

	const way = (direction: 'up' | 'down', label: string): string => {
		if (!relay) {
			return `${label} —`;
		}

		const waiting = held.filter(line => line.direction === (direction === 'up' ? 'in' : 'out'));
		if (relay.ended[direction] && waiting.length === 0) {
			return `${label} finished (its FIN passed on)`;
		}

		const bytes = waiting.reduce((sum, line) => sum + line.bytes, 0);
		const state = relay.paused[direction] ? `PAUSED${waiting.length > 0 ? ` ${waiting.length} held (${count(bytes)} B)` : ''}` : (waiting.length > 0 ? `${waiting.length} held` : 'passing');
		return `${label} ${state}${relay.blocked[direction] ? ' · not reading (--max-held)' : ''}${relay.ended[direction] ? ' · its FIN after them' : ''}`;
	};

	const rowOpen = row?.state === 'open';
	// Steered only live; a replay shows the state as recorded.
	const open = rowOpen && !replaying;
	const state = `${way('up', '↑ client→upstream')} · ${way('down', '↓ upstream→client')}`;
	const input = view.relayInput;
	const prompt = input === undefined ? '› ' : (input.kind === 'inject' ? (input.direction === 'up' ? '› ↑ to upstream: ' : '› ↓ to client: ') : `› edit #${input.seq}${input.hex ? ' (hex)' : ''}: `);
	const placeholder = replaying && rowOpen ? 'a replay: nothing is steered; keys are commands (t timeline, q quit) · Esc back' : !open ? 'closed' : (input === undefined ? 'u/d pause ↑/↓ · r release · R all · e edit · Del drop · > < inject' : (input.kind === 'edit' ? 'the message as it should go · Enter sends it · Esc leaves it held' : 'a line · Enter sends it · Esc cancels'));
	return (
		<>
			{timeline && !hex ? (
				<TimelineView steps={row?.steps} side="relay" origin={row?.openedAt ?? 0} width={width} height={relayTranscriptHeight(height, held.length)} back={view.back} explain={explain} />
			) : (
				<TranscriptView lines={row?.transcript} width={width} height={relayTranscriptHeight(height, held.length)} hex={hex} back={view.back} filter={filter} arrows={relayArrows} explain={explain ? (relay?.datagrams ? 'relay-udp' : 'relay') : undefined} />
			)}
			{heldRows.length > 0 ? <WindowedList count={heldRows.length} height={heldRows.length} offset={0} row={index => heldRows[index]!} /> : null}
			<Text wrap="truncate" dimColor={!rowOpen}>{fit(rowOpen ? state : `closed (${row?.reason ?? 'gone'}) · #${id}`, width)}</Text>
			<LineInput prompt={prompt} width={width} active={focused && open && input !== undefined} line={view.line} placeholder={placeholder} inactiveText={open || (replaying && rowOpen) ? placeholder : 'closed'} />
		</>
	);
}
