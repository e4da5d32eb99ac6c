import {Text} from 'ink';
import React from 'react';
import type {ConnectionRow} from '../state/store.js';
import type {PaneProps} from './pane-props.js';
import {count, duration, fit, shown} from './format.js';
import {LineInput} from './LineInput.js';
import {Pane} from './Pane.js';
import type {ScreenState} from './screen-state.js';
import {scrollTo} from './scroll.js';
import {RelayConnection} from './RelayConnection.js';
import {TimelineView} from './TimelineView.js';
import {relayArrows, TranscriptView} from './TranscriptView.js';
import {sparkline} from './sparkline.js';
import {WindowedList, type ListRow} from './WindowedList.js';

type Props = PaneProps & {
	/** Re-render clock, so connected times move. */
	readonly now: number;
	/** The selection, the open transcript and what is typed (keys: screen-state.ts). */
	readonly view: ScreenState['server'];
};

/** Rows of connections the list shows in a pane of this height. */
export function serverListHeight(height: number, broadcasting: boolean): number {
	return Math.max(1, height - 4 - (broadcasting ? 1 : 0));
}

/** Lines a connection's transcript shows in a pane of this height. */
export function serverTranscriptHeight(height: number): number {
	return Math.max(0, height - 4);
}

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

/** Column titles: a server's (IN from the peer, OUT to it) or a relay's (↑ client → upstream, ↓ back). */
function header(width: number, relay: boolean): string {
	const c = columnsFor(width);
	const [up, messagesIn, messagesOut, bytesIn, bytesOut] = relay ? ['AGE', '↑MSG', '↓MSG', '↑BYTES', '↓BYTES'] : ['UP', 'IN', 'OUT', 'B IN', 'B OUT'];
	const bytes = c.bytes > 0 ? `${cell(bytesIn, c.bytes)}${cell(bytesOut, c.bytes)}` : '';
	return fit(`  ${cell(relay ? 'CLIENT' : 'PEER', c.peer)}${cell('STATE', c.state)}${cell(up, c.up)}${cell(messagesIn, c.messages)}${cell(messagesOut, c.messages)}${bytes}LAST`, width);
}

/** A relayed row's LAST: what each paused direction holds, then the last line and its direction. */
function relayLast(row: ConnectionRow, hex: boolean): string {
	const relay = row.relay!;
	const paused = [relay.paused.up ? '⏸↑' : '', relay.paused.down ? '⏸↓' : ''].filter(Boolean).join(' ');
	const held = relay.held.length > 0 ? ` ${relay.held.length} held` : '';
	const last = row.last ? `${relayArrows[row.last.direction]} "${shown(row.last.text, row.last.base64, hex)}"` : '';
	return [paused + held, last].filter(part => part.trim() !== '').join(' · ');
}

function rowText(row: ConnectionRow, selected: boolean, now: number, hex: boolean, width: number): string {
	const c = columnsFor(width);
	const up = duration((row.closedAt ?? now) - row.openedAt);
	const last = row.state === 'closed' ? `(${row.reason ?? 'closed'})` : (row.relay ? relayLast(row, hex) : (row.last ? `"${shown(row.last.text, row.last.base64, hex)}"` : ''));
	const bytes = c.bytes > 0 ? `${cell(count(row.bytesIn), c.bytes)}${cell(count(row.bytesOut), c.bytes)}` : '';
	// A mark for a row that spoke in the last second: where the traffic is, at a glance.
	const active = row.state === 'open' && row.last !== undefined && now - row.last.ts < 1000 ? '•' : ' ';
	return fit(`${selected ? '▸' : ' '}${active}${cell(row.peer, c.peer)}${cell(row.state, c.state)}${cell(up, c.up)}${cell(count(row.messagesIn), c.messages)}${cell(count(row.messagesOut), c.messages)}${bytes}${last}`, width);
}

/** The TCP server: a header and one row per connection, or one connection's transcript. */
export function ServerPane({store, width, height, focused, hex, now, view}: Props) {
	const inner = Math.max(0, width - 2);
	const listHeight = serverListHeight(height, view.broadcasting);
	const {order} = store;
	const current = Math.min(view.selected, Math.max(0, order.length - 1));
	const visibleOffset = scrollTo(current, Math.min(view.offset, Math.max(0, order.length - listHeight)), listHeight);

	const {listening, error, closed} = store.server;
	const where = listening ? (listening.host.startsWith('unix:') ? listening.host : `${listening.host.includes(':') ? `[${listening.host}]` : listening.host}:${listening.port}`) : '…';
	const exposure = listening && !listening.loopback ? ' · ⚠ reachable from other machines' : '';
	const wide = inner >= 70;
	const upstream = listening?.upstream;
	const kind = view.relay ? `relay ${where} → ${upstream ?? '…'}` : (where.startsWith('unix:') ? where : `${store.server.tls ? 'TLS' : 'TCP'} ${where}`);
	const title = error ? `${kind} · ${error}` : `${kind}${closed ? ' · closed' : (wide && !view.relay ? ` · ${listening ? 'listening' : 'starting'}` : '')}${exposure}`;
	const rate = store.server.rate.perSecond(now);
	// The last seconds' messages as a sparkline, where there is room for it.
	const trend = inner >= 70 ? ` ${sparkline(store.server.rate.recent(now, inner >= 100 ? 12 : 8))}` : '';
	const status = wide ? `${store.server.open} open / ${store.server.total} total · ${rate} msg/s${trend}` : `${store.server.open}/${store.server.total} open · ${rate}/s`;

	const {openId} = view;
	const openRow = openId === undefined ? undefined : store.rows.get(openId);
	if (openId !== undefined && !openRow) {
		// Its row is not there: a replay at a moment before it opened, or a closed row let go.
		const why = store.replaying ? 'not open yet at this moment of the replay: it opens later (→ or . goes on)' : 'its row was let go (closed a while ago)';
		return (
			<Pane title={`#${openId} · ${store.replaying ? 'not open yet' : 'gone'} · Esc back`} focused={focused} width={width} height={height}>
				<Text dimColor wrap="truncate">{fit(why, inner)}</Text>
			</Pane>
		);
	}
	if (openId !== undefined && view.relay) {
		return (
			<Pane title={`#${openId} ${openRow?.peer ?? ''} → ${upstream ?? 'upstream'} · ${openRow?.state ?? 'gone'} · Esc back`} focused={focused} width={width} height={height}>
				<RelayConnection row={openRow} id={openId} width={inner} height={height - 3} focused={focused} hex={hex} view={view} filter={store.filters.get(openId)} explain={store.explain} timeline={store.timeline} replaying={store.replaying} />
			</Pane>
		);
	}

	if (openId !== undefined) {
		return (
			<Pane title={`${openRow?.peer ?? `#${openId}`} · ${openRow?.state ?? 'gone'} · Esc back`} focused={focused} width={width} height={height}>
				{store.timeline && !hex ? (
					<TimelineView steps={openRow?.steps} side="server" origin={openRow?.openedAt ?? 0} listen={listening} width={inner} height={serverTranscriptHeight(height)} back={view.back} explain={store.explain} />
				) : (
					<TranscriptView lines={openRow?.transcript} width={inner} height={serverTranscriptHeight(height)} hex={hex} back={view.back} filter={store.filters.get(openId)} explain={store.explain ? 'server' : undefined} />
				)}
				<LineInput
					prompt={`› to ${openRow?.peer ?? `#${openId}`}: `}
					width={inner}
					active={focused && openRow?.state === 'open' && !store.replaying}
					line={view.line}
					placeholder="type to this connection · /filter · /save FILE"
					inactiveText={openRow?.state === 'open' ? (store.replaying ? 'a replay: nothing is sent; keys are commands (t timeline, e explain, q quit) · Esc back' : '') : 'closed'}
				/>
			</Pane>
		);
	}

	const row = (index: number): ListRow => {
		const connection = store.rows.get(order[index]!)!;
		const isSelected = index === current && focused;
		return {text: rowText(connection, index === current, now, hex, inner), dim: connection.state === 'closed', inverse: isSelected};
	};

	return (
		<Pane title={title} status={status} statusColor={error ? 'red' : (exposure ? 'yellow' : undefined)} focused={focused} width={width} height={height}>
			<WindowedList count={1} height={1} offset={0} row={() => ({text: header(inner, view.relay), dim: true})} />
			<WindowedList count={order.length} height={listHeight} offset={visibleOffset} row={row} />
			{view.broadcasting ? (
				<LineInput
					prompt={`› to all ${store.server.open} open: `}
					width={inner}
					active={focused}
					line={view.broadcast}
					placeholder="Enter sends to every open connection · Esc cancels"
				/>
			) : null}
		</Pane>
	);
}
