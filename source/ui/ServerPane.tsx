import {useFocus, useInput} from 'ink';
import React, {useEffect, useState} from 'react';
import type {ConnectionRow} from '../state/store.js';
import {count, duration, fit, shown} from './format.js';
import {LineInput} from './LineInput.js';
import {Pane} from './Pane.js';
import type {PaneProps} from './pane-props.js';
import {useHoldFocus} from './use-hold-focus.js';
import {TranscriptView} from './TranscriptView.js';
import {scrollTo, WindowedList, type ListRow} from './WindowedList.js';

type Props = PaneProps & {
	readonly onKick: (id: number) => void;
	/** Re-render clock, so connected times move. */
	readonly now: number;
	/** Take the focus at start (serve mode, where there is no input box). */
	readonly autoFocus?: boolean;
	/** The operator's line to one connection, and to every open one. */
	readonly onSend: (id: number, text: string) => void;
	readonly onBroadcast: (text: string) => void;
	/** Told while a line is being typed here (letters are text then, not keys). */
	readonly onTypingChange?: (typing: boolean) => void;
};

type Columns = {readonly peer: number; readonly state: number; readonly up: number; readonly messages: number; readonly bytes: number};

/**
 * Column widths for the pane's width, each with its one-space gap. The peer column fits a whole
 * IPv4 peer (21 columns) when there is room; narrow panes shorten it and drop the byte counts.
 */
function columnsFor(width: number): Columns {
	if (width >= 90) {
		return {peer: 24, state: 7, up: 8, messages: 7, bytes: 8};
	}

	return {peer: width >= 70 ? 22 : 17, state: 7, up: 6, messages: 5, bytes: 0};
}

/** A column: the text fitted to its width less one, then the gap, so neighbours never touch. */
function cell(text: string, width: number): string {
	return `${fit(text, width - 1)} `;
}

function header(width: number): string {
	const c = columnsFor(width);
	const bytes = c.bytes > 0 ? `${cell('B IN', c.bytes)}${cell('B OUT', c.bytes)}` : '';
	return fit(`  ${cell('PEER', c.peer)}${cell('STATE', c.state)}${cell('UP', c.up)}${cell('IN', c.messages)}${cell('OUT', c.messages)}${bytes}LAST`, width);
}

function rowText(row: ConnectionRow, selected: boolean, now: number, hex: boolean, width: number): string {
	const c = columnsFor(width);
	const up = duration((row.closedAt ?? now) - row.openedAt);
	const last = row.state === 'closed' ? `(${row.reason ?? 'closed'})` : (row.last ? `"${shown(row.last.text, row.last.base64, hex)}"` : '');
	const bytes = c.bytes > 0 ? `${cell(count(row.bytesIn), c.bytes)}${cell(count(row.bytesOut), c.bytes)}` : '';
	return fit(`${selected ? '▸ ' : '  '}${cell(row.peer, c.peer)}${cell(row.state, c.state)}${cell(up, c.up)}${cell(count(row.messagesIn), c.messages)}${cell(count(row.messagesOut), c.messages)}${bytes}${last}`, width);
}

/** The TCP server: a header and one row per connection; Enter opens a connection's transcript. */
export function ServerPane({store, width, height, inputActive, hex, onKick, now, autoFocus = false, onSend, onBroadcast, onTypingChange}: Props) {
	const {isFocused} = useFocus({id: 'server', autoFocus});
	useHoldFocus('server', isFocused);
	// The selected row and the first row shown, moved together.
	const [view, setView] = useState({selected: 0, offset: 0});
	const [openId, setOpenId] = useState<number | undefined>(undefined);
	// Typing a line to every open connection (b), until Enter or Esc.
	const [broadcasting, setBroadcasting] = useState(false);
	const typing = isFocused && (openId !== undefined || broadcasting);
	useEffect(() => {
		onTypingChange?.(typing);
	}, [typing, onTypingChange]);
	const inner = Math.max(0, width - 2);
	const listHeight = Math.max(1, height - 4 - (broadcasting ? 1 : 0));
	const {order} = store;
	const current = Math.min(view.selected, Math.max(0, order.length - 1));
	const visibleOffset = scrollTo(current, Math.min(view.offset, Math.max(0, order.length - listHeight)), listHeight);

	useInput((input, key) => {
		if (openId !== undefined || broadcasting) {
			if (key.escape) {
				setOpenId(undefined);
				setBroadcasting(false);
			}

			return;
		}

		// Relative to the latest selection: keys can come faster than re-renders.
		const move = (by: number): void => {
			setView(previous => {
				const last = Math.max(0, store.order.length - 1);
				const selected = Math.max(0, Math.min(last, Math.min(previous.selected, last) + by));
				return {selected, offset: scrollTo(selected, previous.offset, listHeight)};
			});
		};

		if (key.upArrow) {
			move(-1);
		} else if (key.downArrow) {
			move(1);
		} else if (key.pageUp) {
			move(-listHeight);
		} else if (key.pageDown) {
			move(listHeight);
		} else if (key.return && order[current] !== undefined) {
			setOpenId(order[current]);
		} else if (input === 'k' && order[current] !== undefined) {
			onKick(order[current]);
		} else if (input === 'b') {
			setBroadcasting(true);
		}
	}, {isActive: isFocused && inputActive});

	const {listening, error} = store.server;
	const where = listening ? `${listening.host.includes(':') ? `[${listening.host}]` : listening.host}:${listening.port}` : '…';
	const exposure = listening && !listening.loopback ? ' · ⚠ reachable from other machines' : '';
	const wide = inner >= 70;
	const title = error ? `TCP ${where} · ${error}` : `TCP ${where}${wide ? ` · ${listening ? 'listening' : 'starting'}` : ''}${exposure}`;
	const rate = store.server.rate.perSecond(now);
	const status = wide ? `${store.server.open} open / ${store.server.total} total · ${rate} msg/s` : `${store.server.open}/${store.server.total} open · ${rate}/s`;

	const openRow = openId === undefined ? undefined : store.rows.get(openId);
	if (openId !== undefined) {
		return (
			<Pane title={`${openRow?.peer ?? `#${openId}`} · ${openRow?.state ?? 'gone'} · Esc back`} focused={isFocused} width={width} height={height}>
				<TranscriptView lines={openRow?.transcript} width={inner} height={height - 4} hex={hex} active={isFocused && inputActive} filter={store.filters.get(openId)} />
				<LineInput
					prompt={`› to ${openRow?.peer ?? `#${openId}`}: `}
					width={inner}
					active={isFocused && inputActive && openRow?.state === 'open'}
					placeholder="type to this connection · /filter · /save FILE"
					inactiveText={openRow?.state === 'open' ? '' : 'closed'}
					onSubmit={line => {
						onSend(openId, line);
					}}
				/>
			</Pane>
		);
	}

	const row = (index: number): ListRow => {
		const connection = store.rows.get(order[index]!)!;
		const isSelected = index === current && isFocused;
		return {text: rowText(connection, index === current, now, hex, inner), dim: connection.state === 'closed', inverse: isSelected};
	};

	return (
		<Pane title={title} status={status} statusColor={error ? 'red' : (exposure ? 'yellow' : undefined)} focused={isFocused} width={width} height={height}>
			<WindowedList count={1} height={1} offset={0} row={() => ({text: header(inner), dim: true})} />
			<WindowedList count={order.length} height={listHeight} offset={visibleOffset} row={row} />
			{broadcasting ? (
				<LineInput
					prompt={`› to all ${store.server.open} open: `}
					width={inner}
					active={isFocused && inputActive}
					placeholder="Enter sends to every open connection · Esc cancels"
					onSubmit={line => {
						setBroadcasting(false);
						onBroadcast(line);
					}}
				/>
			) : null}
		</Pane>
	);
}
