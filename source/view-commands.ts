import {messageOf} from './errors.js';
import type {Store} from './state/store.js';
import {describeFilter} from './state/transcript-filter.js';
import {saveTranscript} from './state/transcript-file.js';
import type {ClientCommand} from './ui/client-commands.js';

/**
 * The commands that change how a transcript is shown — /filter, /save, /explain, /timeline — in
 * any input box, live or in a replay: they act on the store alone. Returns a function that runs
 * one, true when the command was one of them.
 */
export function viewCommands(store: Store): (command: ClientCommand, scope: 'client' | number) => boolean {
	const transcriptCommand = (command: Extract<ClientCommand, {kind: 'filter' | 'save'}>, scope: 'client' | number): void => {
		const lines = scope === 'client' ? store.client.transcript : store.rows.get(scope)?.transcript;
		if (command.kind === 'filter') {
			store.setFilter(scope, command.filter);
			store.notify(command.filter ? `showing ${describeFilter(command.filter)} only · /filter to show all` : 'showing every line');
			return;
		}

		if (!lines) {
			store.say('that transcript is gone', 'warning');
			return;
		}

		try {
			const count = saveTranscript(command.file, lines, scope !== 'client' && store.rows.get(scope)?.relay !== undefined);
			store.notify(`saved ${count} lines to ${command.file}`);
		} catch (error) {
			store.say(`cannot save ${command.file}: ${messageOf(error)}`, 'error');
		}
	};

	const timeline = (on: boolean | undefined): void => {
		store.setTimeline(on ?? !store.timeline);
		store.notify(store.timeline ? 'timeline on: each connection\'s steps (reads, writes, framing, FIN…) timed from its start, with client ↔ server lanes · t or /timeline off' : 'timeline off');
	};
	const explain = (on: boolean | undefined): void => {
		store.setExplain(on ?? !store.explain);
		store.notify(store.explain ? 'explain on: transcripts as the tutorial\'s calls (conn.recv, sendall…) · e or /explain off' : 'explain off');
	};

	return (command: ClientCommand, scope: 'client' | number): boolean => {
		switch (command.kind) {
			case 'filter':
			case 'save': {
				transcriptCommand(command, scope);
				return true;
			}

			case 'explain': {
				explain(command.on);
				return true;
			}

			case 'timeline': {
				timeline(command.on);
				return true;
			}

			default: {
				return false;
			}
		}
	};
}
