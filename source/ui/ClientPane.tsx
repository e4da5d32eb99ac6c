import React from 'react';
import {formatRemote} from '../format/host-port.js';
import type {StoreView} from '../state/store.js';
import type {LineEditor} from './line-editor.js';
import {LineInput} from './LineInput.js';
import {Pane} from './Pane.js';
import {TimelineView} from './TimelineView.js';
import {TranscriptView} from './TranscriptView.js';

type Props = {
	readonly store: StoreView;
	/** Outer size, borders included. */
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	/** The input box takes the keys (focused, and not left with Esc). */
	readonly editing: boolean;
	readonly hex: boolean;
	readonly line: LineEditor;
	/** Transcript lines scrolled back from the newest. */
	readonly back: number;
};

const stateColors: Record<string, string> = {connected: 'green', connecting: 'yellow', closed: 'gray', idle: 'gray'};

/** The interactive client: its transcript and an input line. */
export function ClientPane({store, width, height, focused, editing, hex, line, back}: Props) {
	const {client} = store;
	const where = client.remote ? formatRemote(client.remote) : 'not connected';
	const reason = client.state !== 'connected' && client.state !== 'connecting' && client.reason ? ` (${client.reason})` : '';
	const inner = Math.max(0, width - 2);
	return (
		<Pane title={`Client → ${where}`} status={client.repeat ? `repeat ${client.repeat.sent}/${client.repeat.total} · Esc stops` : `${client.state}${reason}`} statusColor={stateColors[client.state] ?? 'red'} focused={focused} width={width} height={height}>
			{store.timeline && !hex ? (
				<TimelineView steps={client.steps} side="client" origin={client.steps.at(0)?.ts ?? 0} width={inner} height={height - 4} back={back} explain={store.explain} />
			) : (
				<TranscriptView lines={client.transcript} width={inner} height={height - 4} hex={hex} back={back} filter={store.filters.get('client')} explain={store.explain ? 'client' : undefined} />
			)}
			<LineInput
				prompt="› "
				width={inner}
				active={focused && editing}
				line={line}
				placeholder={client.state === 'connected' ? 'type a message, Enter sends · /help' : '/connect HOST:PORT · /help'}
				inactiveText={focused ? 'Enter to type · q quits' : 'Tab here to type'}
			/>
		</Pane>
	);
}
