import {Text} from 'ink';
import React from 'react';
import type {PlayerView} from '../state/replay-player.js';
import {fit} from './format.js';

type Props = {
	readonly player: PlayerView;
	readonly width: number;
};

/** `12.345s` (under a minute), `3:07.2` (more): a moment in the log from its start. */
function at(ms: number): string {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 60) {
		return `${seconds.toFixed(3)}s`;
	}

	const minutes = Math.floor(seconds / 60);
	return `${minutes}:${(seconds - (minutes * 60)).toFixed(1).padStart(4, '0')}`;
}

/**
 * A replay's time bar: playing or paused, where it is of how long, a bar with the position, the
 * speed and the events applied — the state every pane shows is the state at that moment.
 */
export function TimeBar({player, width}: Props) {
	const {start, end, position, playing, speed, applied, count} = player;
	const head = `${playing ? '▶' : '❚❚'} ${at(position - start)} / ${at(end - start)} `;
	const tail = ` ×${speed} · ${applied}/${count} events`;
	const room = Math.max(0, width - head.length - tail.length - 2);
	const fraction = end > start ? (position - start) / (end - start) : 1;
	const filled = Math.min(room - 1, Math.round(fraction * (room - 1)));
	const bar = room > 0 ? `${'━'.repeat(Math.max(0, filled))}●${'─'.repeat(Math.max(0, room - 1 - filled))}` : '';
	return <Text wrap="truncate" color={playing ? 'cyan' : 'yellow'}>{fit(` ${head}${bar}${tail}`, width)}</Text>;
}
