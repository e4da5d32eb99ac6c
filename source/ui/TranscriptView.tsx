import React from 'react';
import type {BoundedRing} from '../state/bounded-ring.js';
import {lineBytes, lineBytesPrefix, type TranscriptLine} from '../state/transcript.js';
import {matches, type TranscriptFilter} from '../state/transcript-filter.js';
import {pythonBytes} from '../protocol/python-bytes.js';
import {terminalSafeMessage} from '../protocol/terminal-safe.js';
import {fit, shown, time} from './format.js';
import {bytesPerRow, hexRows} from './hex-rows.js';
import {WindowedList, type ListRow} from './WindowedList.js';

type Props = {
	readonly lines: BoundedRing<TranscriptLine> | undefined;
	readonly width: number;
	readonly height: number;
	readonly hex: boolean;
	/** Lines scrolled back from the newest (PgUp/PgDn, in screen-state.ts); 0 follows new lines. */
	readonly back: number;
	/** Show only the matching lines. */
	readonly filter?: TranscriptFilter;
	/** What marks each direction (a relay's: ↑ client → upstream, ↓ upstream → client). */
	readonly arrows?: Arrows;
	/** Tell each line as the tutorial's socket call that moved it (/explain), from whose side. */
	readonly explain?: ExplainSide;
};

/** Whose calls a transcript's lines are: the server's connection, the client's socket, or a relay's two. */
export type ExplainSide = 'server' | 'client' | 'relay' | 'relay-udp';

/** A line as the tutorial's call: `conn.recv(1024) -> b'Michael\n'`, `c.send(b'Hi\n')`… */
function asCall(line: TranscriptLine, side: ExplainSide): string {
	const start = lineBytesPrefix(line, 64);
	const bytes = pythonBytes(start.bytes, start.total);
	const incoming = line.direction === 'in';
	switch (side) {
		case 'server': {
			return incoming ? `conn.recv(1024) -> ${bytes}` : `conn.sendall(${bytes})`;
		}

		case 'client': {
			return incoming ? `c.recv(1024) -> ${bytes}` : `c.send(${bytes})`;
		}

		case 'relay': {
			return incoming ? `client.recv() -> upstream.sendall(${bytes})` : `upstream.recv() -> client.sendall(${bytes})`;
		}

		case 'relay-udp': {
			// Datagrams: the clients' side is one socket, u; each client address has its own up.
			return incoming ? `data, addr = u.recvfrom(65536) -> ${bytes}; up.send(data)` : `data = up.recv(65536) -> ${bytes}; u.sendto(data, addr)`;
		}
	}
}

export type Arrows = {readonly in: string; readonly out: string; readonly info: string; readonly error: string};

/** A server's or client's transcript: ← what came in, → what we sent. */
export const chatArrows: Arrows = {in: '←', out: '→', info: '·', error: '!'};
/** A relay's: ↑ client → upstream, ↓ upstream → client. */
export const relayArrows: Arrows = {in: '↑', out: '↓', info: '·', error: '!'};
const colors = {in: undefined, out: 'green', info: 'gray', error: 'red'} as const;

/** A chat-style transcript, following the newest line unless scrolled back with PgUp. */
export function TranscriptView({lines, width, height, hex, back, filter, arrows = chatArrows, explain}: Props) {
	// With a filter, the indices of the lines it keeps (a transcript holds a few hundred at most).
	const kept: number[] | undefined = filter && lines ? [] : undefined;
	if (kept && lines && filter) {
		for (let index = 0; index < lines.length; index++) {
			if (matches(lines.at(index)!, filter)) {
				kept.push(index);
			}
		}
	}

	const total = kept ? kept.length : (lines?.length ?? 0);
	const maxBack = Math.max(0, total - height);
	const scrolled = Math.min(back, maxBack);

	const offset = Math.max(0, total - height - scrolled);
	const lineAt = (index: number): TranscriptLine => lines!.at(kept ? kept[index]! : index)!;
	if (hex) {
		return <HexTranscript lineAt={lineAt} total={total} width={width} height={height} back={scrolled} arrows={arrows} />;
	}

	const row = (index: number): ListRow => {
		const line = lineAt(index);
		const rtt = line.rttMs === undefined ? (line.mark === undefined ? '' : `  [${line.mark}]`) : `  ${line.rttMs} ms`;
		const traffic = line.direction === 'in' || line.direction === 'out';
		const body = traffic ? (explain ? asCall(line, explain) : shown(line.text, line.base64, false)) : terminalSafeMessage(line.text);
		return {text: fit(`${time(line.ts)} ${arrows[line.direction]} ${body}${rtt}`, width), color: colors[line.direction]};
	};

	return <WindowedList count={total} height={Math.max(0, height)} offset={offset} row={row} />;
}

type HexProps = {
	readonly lineAt: (index: number) => TranscriptLine;
	readonly total: number;
	readonly width: number;
	readonly height: number;
	/** Lines (not rows) scrolled back from the newest. */
	readonly back: number;
	readonly arrows: Arrows;
};

/**
 * The hex view: each message's exact wire bytes — the blank lines before it, the payload, its
 * line ending — as offset · hex · ASCII rows under its time and direction. Only the rows that
 * fit are built, from the newest line up.
 */
function HexTranscript({lineAt, total, width, height, back, arrows}: HexProps) {
	const prefix = 11; // `HH:MM:SS ← `
	const perRow = bytesPerRow(width - prefix);
	const rows: ListRow[] = [];
	const blocks: ListRow[][] = [];
	for (let index = total - 1 - back; index >= 0 && rows.length < height; index--) {
		const line = lineAt(index);
		const head = `${time(line.ts)} ${arrows[line.direction]} `;
		const color = colors[line.direction];
		let block: ListRow[];
		if (line.direction === 'in' || line.direction === 'out') {
			// Only the rows that fit: the end of a long line (a 1 MB line is 65,536 rows).
			const bytes = lineBytes(line);
			const lineRows = Math.max(1, Math.ceil(bytes.length / perRow));
			const first = Math.max(0, lineRows - (height - rows.length));
			block = hexRows(bytes.subarray(first * perRow), perRow, first * perRow).map((hexRow, rowIndex) => ({text: fit(`${rowIndex === 0 && first === 0 ? head : ' '.repeat(prefix)}${hexRow}`, width), color}));
		} else {
			block = [{text: fit(`${head}${terminalSafeMessage(line.text)}`, width), color}];
		}

		blocks.push(block);
		rows.push(...block);
	}

	// Newest last, each line's rows in order.
	const ordered = blocks.reverse().flat();
	const shownRows = ordered.slice(Math.max(0, ordered.length - height));
	return <WindowedList count={shownRows.length} height={Math.max(0, height)} offset={0} row={index => shownRows[index]!} />;
}
