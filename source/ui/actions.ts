import type {Engine} from '../engine.js';
import type {Remote} from '../events.js';
import {formatHostPort} from '../net/address.js';
import {messageOf} from '../net/errors.js';
import {exchangeDatagrams} from '../net/udp-send.js';
import {withoutLineEnding} from '../protocol/line-ending.js';
import type {Store} from '../state/store.js';
import {parseClientCommand, type ClientCommand} from './client-commands.js';
import {readScript} from '../commands/connect-headless.js';
import {sendScript} from '../net/script.js';
import {describeFilter} from '../state/transcript-filter.js';
import {saveTranscript} from '../state/transcript-file.js';
import {commandHelp} from './client-commands.js';

/** What the screen can ask of the engines. */
export type Actions = {
	readonly submit: (line: string) => void;
	readonly kick: (id: number) => void;
	/** The operator's line to one server connection / to all of them. */
	readonly sendTo: (id: number, text: string) => void;
	readonly broadcast: (text: string) => void;
};

/** Binds the UI's requests to a running engine; results and failures are told in the store. */
export function engineActions(engine: Engine, store: Store): Actions {
	const udpTarget = (): Remote | undefined => {
		const own = engine.udp?.address;
		if (own) {
			return {host: own.address === '0.0.0.0' ? '127.0.0.1' : (own.address === '::' ? '::1' : own.address), port: own.port};
		}

		return engine.client?.remote;
	};

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

	return {
		sendTo(id, line) {
			// In a connection's transcript, /filter and /save act on it; anything else is sent.
			const command = parseClientCommand(line);
			if (command.kind === 'filter' || command.kind === 'save') {
				transcriptCommand(command, id);
				return;
			}

			const text = command.kind === 'send' ? command.text : line;
			if (!engine.server?.sendTo(id, text)) {
				store.say(`#${id} is not open`, 'warning');
			}
		},
		broadcast(text) {
			const count = engine.server?.broadcast(text) ?? 0;
			store.say(count === 0 ? 'no open connection to send to' : `sent to ${count} connection${count === 1 ? '' : 's'}: ${text}`, count === 0 ? 'warning' : 'info');
		},
		kick(id) {
			if (!engine.server?.kick(id)) {
				store.say(`#${id} is not open`, 'warning');
			}
		},
		submit(line) {
			const command = parseClientCommand(line);
			const {client} = engine;
			switch (command.kind) {
				case 'send': {
					if (!client?.send(command.text)) {
						store.say('not connected — /connect HOST:PORT', 'warning');
					}

					break;
				}

				case 'connect': {
					void client?.connect(command.remote);
					break;
				}

				case 'disconnect': {
					client?.disconnect();
					break;
				}

				case 'udp': {
					const remote = command.remote ?? udpTarget();
					if (!remote) {
						store.say('no UDP target: /udp HOST:PORT TEXT', 'warning');
						break;
					}

					// From a socket of its own, as a client would: a reply comes back to it, not to our endpoint.
					const where = formatHostPort(remote.host, remote.port);
					exchangeDatagrams(engine.bus, remote, [Buffer.from(command.text, 'utf8')], 1000).then(([exchange]) => {
						// The reply as text, its own line ending aside (a datagram's \n is not shown as \n).
						const reply = exchange?.reply;
						store.say(reply === undefined
							? `UDP → ${where}: ${command.text} · no reply within 1 s`
							: `UDP → ${where}: ${command.text} · ← ${withoutLineEnding(reply).toString('utf8')}`);
					}, (error: unknown) => {
						store.say(`UDP to ${formatHostPort(remote.host, remote.port)} failed: ${messageOf(error)}`, 'error');
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
					if (client?.state !== 'connected') {
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

					void sendScript(engine.bus, client, lines, {intervalMs: engine.config.intervalMs, replyWaitMs: 2000}).then(sent => {
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
