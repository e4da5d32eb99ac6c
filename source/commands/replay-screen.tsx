import {EventBus} from '../bus.js';
import {displaySafeEvents} from '../protocol/log-lines.js';
import type {SocketEvent} from '../events.js';
import type {LoggedRun} from '../protocol/event-log.js';
import {replayActions} from '../replay-actions.js';
import {ReplayPlayer} from '../state/replay-player.js';
import {Store} from '../state/store.js';
import type {Mode} from '../ui/App.js';
import {runTui} from './run-screen.js';

/** The screen a log needs: a relay's, the server's, the client's, or all of them. */
export function modeOf(events: readonly SocketEvent[]): Mode {
	let server = false;
	let client = false;
	for (const {type} of events) {
		if (type.startsWith('relay.')) {
			return 'relay';
		}

		server ||= type.startsWith('server.') || type.startsWith('conn.') || type.startsWith('udp.');
		client ||= type.startsWith('client.');
	}

	return server && client ? 'all' : (client ? 'connect' : 'serve');
}

/**
 * `socket-tui replay FILE` on a terminal: the recorded run through the same store and panes as
 * live, as it happened (or --speed N times faster), paused, stepped and sought with the time bar's
 * keys; the store's clock is the replay's position, so every pane shows that moment.
 */
export async function runReplayScreen(log: LoggedRun, {speed, explain, note}: {speed: number; explain: boolean; note: string | undefined}): Promise<number> {
	displaySafeEvents(log.events);
	// The player applies events straight to the store; the bus stays empty (nothing is live).
	// The store's clock is the player's position; the player drives the store: one is made first.
	const made: {player?: ReplayPlayer} = {};
	const store = new Store(new EventBus(), {clock: () => made.player?.position ?? log.events[0]!.ts});
	store.setExplain(explain);
	store.replaying = true;
	const player = new ReplayPlayer(log.events, store, {speed});
	made.player = player;
	if (note !== undefined) {
		store.notify(note, 'warning');
	} else if (log.runs > 1) {
		store.notify(`run ${log.run} of the ${log.runs} in this log (--run N for another)`);
	}

	return runTui({
		actions: replayActions(store),
		start() {
			player.play();
		},
		async stop() {
			player.dispose();
		},
		replay: player,
	}, store, {mode: modeOf(log.events), historyFile: undefined});
}
