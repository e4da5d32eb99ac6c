import type {EngineControl} from './engine-control.js';
import {messageOf} from './errors.js';
import type {Actions} from './ui/actions.js';
import {withoutLineEnding} from './protocol/line-ending.js';
import type {Store} from './state/store.js';
import {parseClientCommand, type ClientCommand} from './ui/client-commands.js';
import {readScript} from './net/script.js';
import {describeFilter} from './state/transcript-filter.js';
import {saveTranscript} from './state/transcript-file.js';
import {commandHelp} from './ui/client-commands.js';

/**
 * Binds the screen's requests to the engines (in this thread or the engine thread); results and
 * failures are told in the store. Whether the client is connected or a row open is read from
 * the store, which the engines' events keep current.
 */
export function engineActions(engine: EngineControl, store: Store): Actions {
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
			const count = saveTranscript(command.file, lines);
			store.notify(`saved ${count} lines to ${command.file}`);
		} catch (error) {
			store.say(`cannot save ${command.file}: ${messageOf(error)}`, 'error');
		}
	};

	const connected = (): boolean => store.client.state === 'connected';

	return {
		sendTo(id, line) {
			// In a connection's transcript, /filter and /save act on it; anything else is sent.
			const command = parseClientCommand(line);
			if (command.kind === 'filter' || command.kind === 'save') {
				transcriptCommand(command, id);
				return;
			}

			const text = command.kind === 'send' ? command.text : line;
			void engine.sendTo(id, text).then(sent => {
				if (!sent) {
					store.say(`#${id} is not open`, 'warning');
				}
			});
		},
		steer(id, command) {
			void engine.steer(id, command).then(done => {
				if (!done) {
					store.say(command.kind === 'pause' ? `#${id} is not open` : `#${id}: that message is gone (or the connection closed)`, 'warning');
				}
			}, (error: unknown) => {
				store.say(`#${id}: ${messageOf(error)}`, 'error');
			});
		},
		inject(id, direction, line) {
			const command = parseClientCommand(line);
			if (command.kind === 'filter' || command.kind === 'save') {
				transcriptCommand(command, id);
				return;
			}

			// The line ends as that direction's lines do (\r\n for HTTP), \n before any was seen.
			const eol = store.rows.get(id)?.relay?.eol[direction] ?? '\n';
			void engine.steer(id, {kind: 'inject', direction, text: line + eol}).then(sent => {
				if (!sent) {
					store.say(`#${id}: cannot send ${direction === 'up' ? 'to the upstream' : 'to the client'} (closed or finished)`, 'warning');
				}
			});
		},
		broadcast(text) {
			void engine.broadcast(text).then(count => {
				store.say(count === 0 ? 'no open connection to send to' : `sent to ${count} connection${count === 1 ? '' : 's'}: ${text}`, count === 0 ? 'warning' : 'info');
			});
		},
		kick(id) {
			void engine.kick(id).then(kicked => {
				if (!kicked) {
					store.say(`#${id} is not open`, 'warning');
				}
			});
		},
		submit(line) {
			const command = parseClientCommand(line);
			switch (command.kind) {
				case 'send': {
					if (connected()) {
						engine.clientSend(command.text);
					} else {
						store.say('not connected — /connect HOST:PORT', 'warning');
					}

					break;
				}

				case 'connect': {
					engine.clientConnect(command.remote);
					break;
				}

				case 'disconnect': {
					engine.clientDisconnect();
					break;
				}

				case 'udp': {
					engine.udpExchange(command.remote, command.text).then(({where, reply}) => {
						// The reply as text, its own line ending aside (a datagram's \n is not shown as \n).
						store.say(reply === undefined
							? `UDP → ${where}: ${command.text} · no reply within 1 s`
							: `UDP → ${where}: ${command.text} · ← ${withoutLineEnding(Buffer.from(reply)).toString('utf8')}`);
					}, (error: unknown) => {
						store.say(`UDP failed: ${messageOf(error)}`, 'error');
					});
					break;
				}

				case 'clear': {
					store.clearClientTranscript();
					break;
				}

				case 'filter':
				case 'save': {
					transcriptCommand(command, 'client');
					break;
				}

				case 'send-file': {
					if (!connected()) {
						store.say('not connected — /connect HOST:PORT', 'warning');
						break;
					}

					let lines: string[];
					try {
						lines = readScript(command.file);
					} catch (error) {
						store.say(messageOf(error), 'error');
						break;
					}

					void engine.sendScript(lines).then(sent => {
						store.say(`sent ${sent} of ${lines.length} lines from ${command.file}`);
					});
					break;
				}

				case 'help': {
					for (const help of commandHelp) {
						store.say(help);
					}

					break;
				}

				case 'error': {
					store.say(command.message, 'error');
					break;
				}
			}
		},
	};
}
