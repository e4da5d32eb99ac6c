import type {Store} from './state/store.js';
import type {Actions} from './ui/actions.js';
import {parseClientCommand} from './ui/client-commands.js';
import {viewCommands} from './view-commands.js';

/** What the screen says when asked to send, kick or steer during a replay. */
const readOnly = 'a replay shows what was recorded: nothing is sent (socket-tui replay FILE --to HOST:PORT sends it again)';

/**
 * The screen's requests during a replay: the view commands (/filter, /save, /explain, /timeline)
 * act; whatever would touch a socket is told that a replay only shows.
 */
export function replayActions(store: Store): Actions {
	const viewCommand = viewCommands(store);
	const refuse = (): void => {
		store.notify(readOnly, 'warning');
	};

	const inBox = (line: string, scope: 'client' | number): void => {
		const command = parseClientCommand(line);
		if (command.kind === 'error') {
			store.notify(command.message, 'warning');
		} else if (!viewCommand(command, scope)) {
			refuse();
		}
	};

	return {
		submit: line => {
			inBox(line, 'client');
		},
		sendTo: (id, line) => {
			inBox(line, id);
		},
		inject: (id, _direction, line) => {
			inBox(line, id);
		},
		broadcast: refuse,
		kick: refuse,
		steer: refuse,
	};
}
