import {Text} from 'ink';
import React from 'react';
import {payloadPrefix} from '../protocol/payload.js';
import {pythonBytes} from '../protocol/python-bytes.js';
import type {UdpLine} from '../state/store.js';
import type {PaneProps} from './pane-props.js';
import {fit, shown, time} from './format.js';
import {Pane} from './Pane.js';
import {sparkline} from './sparkline.js';
import {WindowedList, type ListRow} from './WindowedList.js';

type Props = PaneProps & {
	readonly now: number;
	/** Lines scrolled back from the newest. */
	readonly back: number;
};

/** A datagram as the tutorial's UDP calls: recvfrom what came, sendto what went (/explain). */
function asCall(line: UdpLine): string {
	const start = payloadPrefix(line.base64 === undefined ? {text: line.text} : {text: line.text, base64: line.base64}, 64);
	const bytes = pythonBytes(start.bytes, start.total);
	const [, host = line.peer, port = '?'] = /^\[?(.*?)\]?:(\d+)$/.exec(line.peer) ?? [];
	return line.direction === 'in' ? `data, addr = u.recvfrom(1024) -> ${bytes}, ('${host}', ${port})` : `u.sendto(${bytes}, ('${host}', ${port}))`;
}

function lineText(line: UdpLine, hex: boolean, width: number, explain: boolean): string {
	const arrow = line.direction === 'in' ? '←' : '→';
	const denied = line.denied ? ' (denied)' : '';
	if (explain && !hex) {
		return fit(`${time(line.ts)} ${arrow} ${asCall(line)}${denied}`, width);
	}

	// The text first: a narrow pane still shows what was said.
	return fit(`${time(line.ts)} ${arrow} "${shown(line.text, line.base64, hex)}" ${line.peer} ${line.bytes} B${denied}`, width);
}

/** The number of rows the UDP feed shows in a pane of this height. */
export function udpListHeight(height: number): number {
	return Math.max(1, height - 3);
}

/** The UDP endpoint's live feed: datagrams in and our replies, newest at the bottom. */
export function UdpPane({store, width, height, focused, hex, now, back}: Props) {
	const {udp} = store;
	// Explain: a first line says why there are no rows (each datagram stands alone).
	const why = store.explain && !hex ? 1 : 0;
	const listHeight = udpListHeight(height) - why;
	const total = udp.feed.length;
	const scrolled = Math.min(back, Math.max(0, total - listHeight));
	const where = udp.listening ? `${udp.listening.host.includes(':') ? `[${udp.listening.host}]` : udp.listening.host}:${udp.listening.port}` : (udp.error ? 'error' : 'off');
	const inner = Math.max(0, width - 2);
	const row = (index: number): ListRow => {
		const line = udp.feed.at(index)!;
		return {text: lineText(line, hex, inner, store.explain), color: line.direction === 'out' ? 'green' : undefined, dim: line.denied};
	};

	const count = udp.datagrams === 1 ? '1 datagram' : `${udp.datagrams} datagrams`;
	const trimmed = udp.feed.total > udp.feed.length ? ` (last ${udp.feed.length})` : '';
	return (
		<Pane title={`UDP ${where}${udp.closed ? ' · closed' : ''}`} status={inner >= 45 ? `${count} · ${udp.rate.perSecond(now)}/s${inner >= 60 ? ` ${sparkline(udp.rate.recent(now, 8))}` : ''}${trimmed}` : `${udp.datagrams} · ${udp.rate.perSecond(now)}/s`} statusColor={udp.error ? 'red' : undefined} focused={focused} width={width} height={height}>
			{why ? <Text dimColor wrap="truncate">{fit('no listen(), no accept(), no rows: each datagram comes whole, with its sender', inner)}</Text> : null}
			<WindowedList count={total} height={Math.max(0, listHeight)} offset={Math.max(0, total - listHeight - scrolled)} row={row} />
		</Pane>
	);
}
