import {useFocus, useInput} from 'ink';
import React, {useState} from 'react';
import type {UdpLine} from '../state/store.js';
import {fit, shown, time} from './format.js';
import {Pane} from './Pane.js';
import type {PaneProps} from './pane-props.js';
import {useHoldFocus} from './use-hold-focus.js';
import {WindowedList, type ListRow} from './WindowedList.js';

type Props = PaneProps & {
	readonly now: number;
};

function lineText(line: UdpLine, hex: boolean, width: number): string {
	const arrow = line.direction === 'in' ? '←' : '→';
	const denied = line.denied ? ' (denied)' : '';
	// The text first: a narrow pane still shows what was said.
	return fit(`${time(line.ts)} ${arrow} "${shown(line.text, line.base64, hex)}" ${line.peer} ${line.bytes} B${denied}`, width);
}

/** The UDP endpoint's live feed: datagrams in and our replies, newest at the bottom. */
export function UdpPane({store, width, height, inputActive, hex, now}: Props) {
	const {isFocused} = useFocus({id: 'udp'});
	useHoldFocus('udp', isFocused);
	const [back, setBack] = useState(0);
	const {udp} = store;
	const listHeight = Math.max(1, height - 3);
	const total = udp.feed.length;
	const maxBack = Math.max(0, total - listHeight);
	const scrolled = Math.min(back, maxBack);

	useInput((_input, key) => {
		if (key.pageUp || key.upArrow) {
			setBack(Math.min(maxBack, scrolled + (key.pageUp ? listHeight - 1 : 1)));
		} else if (key.pageDown || key.downArrow) {
			setBack(Math.max(0, scrolled - (key.pageDown ? listHeight - 1 : 1)));
		}
	}, {isActive: isFocused && inputActive});

	const where = udp.listening ? `${udp.listening.host.includes(':') ? `[${udp.listening.host}]` : udp.listening.host}:${udp.listening.port}` : (udp.error ? 'error' : 'off');
	const inner = Math.max(0, width - 2);
	const row = (index: number): ListRow => {
		const line = udp.feed.at(index)!;
		return {text: lineText(line, hex, inner), color: line.direction === 'out' ? 'green' : undefined, dim: line.denied};
	};

	const trimmed = udp.feed.total > udp.feed.length ? ` (last ${udp.feed.length})` : '';
	return (
		<Pane title={`UDP ${where}`} status={inner >= 45 ? `${udp.datagrams} datagrams · ${udp.rate.perSecond(now)}/s${trimmed}` : `${udp.datagrams} · ${udp.rate.perSecond(now)}/s`} statusColor={udp.error ? 'red' : undefined} focused={isFocused} width={width} height={height}>
			<WindowedList count={total} height={listHeight} offset={Math.max(0, total - listHeight - scrolled)} row={row} />
		</Pane>
	);
}
