import {Box, Text} from 'ink';
import React from 'react';
import type {BoundedRing} from '../state/bounded-ring.js';
import {stepsKept, type Step} from '../state/steps.js';
import {fit} from './format.js';
import {lane, laneWidth} from './swimlane.js';
import {stepRow, type TimelineSide} from './timeline-steps.js';
import {WindowedList, type ListRow} from './WindowedList.js';

type Props = {
	readonly steps: BoundedRing<Step> | undefined;
	/** Whose timeline: which end is "us" in the lanes, and what the right lane is called. */
	readonly side: TimelineSide;
	/** Times are relative to this moment (the connection's start), ms since the epoch. */
	readonly origin: number;
	/** A server's listen, shown first with its backlog (server timelines). */
	readonly listen?: {readonly host: string; readonly port: number; readonly backlog?: number; readonly ts?: number};
	readonly width: number;
	/** Rows, the header included. */
	readonly height: number;
	/** Rows scrolled back from the newest (PgUp/PgDn); 0 follows new steps. */
	readonly back: number;
	/** Each step as the tutorial's socket call (/explain). */
	readonly explain: boolean;
};

/** A wait at least this long before a reply stands out (as in the transcript's /timeline). */
const notableGapMs = 100;

/** `+1.234s`, `-3.2s`: 7 columns. */
function relative(ms: number): string {
	const sign = ms < 0 ? '-' : '+';
	const seconds = Math.abs(ms) / 1000;
	return `${sign}${seconds < 10 ? seconds.toFixed(3) : (seconds < 1000 ? seconds.toFixed(1) : Math.round(seconds))}s`.padEnd(7);
}

/** The wait since the step before, in 6 columns; blank under a millisecond. */
function wait(ms: number): string {
	if (ms < 1) {
		return ''.padEnd(6);
	}

	const text = ms < 1000 ? `${Math.round(ms)}ms` : (ms < 60_000 ? `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s` : `${Math.round(ms / 60_000)}m`);
	return `+${text}`.padEnd(6);
}

/** The lanes' header: the client on the left, the server (or the upstream) on the right. */
function laneHeader(side: TimelineSide): string {
	return `client${(side === 'relay' ? 'up' : 'server').padStart(laneWidth - 6)}`;
}

/**
 * A connection's timeline: every step as it happened — accept, each read and write with its
 * bytes, how framing cut them, backpressure, who half-closed, the close and why — timed from the
 * connection's start, with the wait since the step before (a slow reply in yellow), and a
 * swimlane arrow per step between the client and the server (swimlane.ts).
 */
export function TimelineView({steps, side, origin, listen, width, height, back, explain}: Props) {
	const rows: ListRow[] = [];
	const dropped = steps ? steps.total - steps.length : 0;
	if (dropped > 0) {
		rows.push({text: `… ${dropped} earlier steps not kept (the newest ${stepsKept} are)`, dim: true});
	} else if (listen && side === 'server') {
		const backlog = listen.backlog ?? 5;
		const text = explain
			? `s.bind(('${listen.host}', ${listen.port})); s.listen(${backlog})`
			: `listen on ${listen.host}:${listen.port}${listen.backlog === undefined ? '' : `, backlog ${backlog} (queued for accept())`}`;
		rows.push({text: `${relative((listen.ts ?? origin) - origin)} ${wait(0)} ${lane({to: 'us'}, 'server')} ${text}`, color: 'gray'});
	}

	const ours = side === 'server' ? 'client' : (side === 'client' ? 'server' : undefined);
	let previousTs: number | undefined;
	// The client's latest bytes that are still waiting for an answer (when they came).
	let asked: number | undefined;
	let peerEnded = false;
	let udp = false;
	for (let index = 0; index < (steps?.length ?? 0); index++) {
		const step = steps!.at(index)!;
		peerEnded ||= step.type === 'conn.end';
		udp ||= step.type === 'relay.open' && step.transport === 'udp';
		const next = steps!.at(index + 1);
		const atFin = step.type === 'conn.message' && step.eol === '' && next?.type === 'conn.end' && next.ts - step.ts <= 1;
		const row = stepRow(step, explain, {peerEnded, atFin, udp});
		if (!row) {
			continue;
		}

		const gap = previousTs === undefined ? 0 : step.ts - previousTs;
		previousTs = step.ts;
		// A reply's wait: from the client's bytes to the server's answer, framing steps between included.
		const data = row.arrow.bytes !== undefined;
		const replyWait = data && row.arrow.to === 'client' && asked !== undefined ? step.ts - asked : undefined;
		const slow = replyWait !== undefined && replyWait >= notableGapMs;
		if (data) {
			asked = row.arrow.to === 'server' ? (asked ?? step.ts) : undefined;
		}

		const local = row.arrow.to === 'us' || row.arrow.to === 'none';
		rows.push({
			text: `${relative(step.ts - origin)} ${wait(gap)} ${lane(row.arrow, side)} ${row.text}${slow ? ` ⏱ waited ${Math.round(replyWait)} ms` : ''}`,
			...(slow ? {color: 'yellow'} : (local ? {color: 'gray'} : (row.arrow.to === ours ? {color: 'green'} : {}))),
		});
	}

	const listHeight = Math.max(0, height - 1);
	const offset = Math.max(0, rows.length - listHeight - Math.min(back, Math.max(0, rows.length - listHeight)));
	return (
		<Box flexDirection="column">
			<Text dimColor wrap="truncate">{fit(`${'time'.padEnd(7)} ${'wait'.padEnd(6)} ${laneHeader(side)} ${explain ? 'the tutorial\'s call' : 'step'}`, width)}</Text>
			<WindowedList count={rows.length} height={listHeight} offset={offset} row={index => ({...rows[index]!, text: fit(rows[index]!.text, width)})} />
		</Box>
	);
}
