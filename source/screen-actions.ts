import type {EngineControl} from './engine-control.js';
import {messageOf} from './errors.js';
import type {Actions} from './ui/actions.js';
import {withoutLineEnding} from './protocol/line-ending.js';
import type {Store} from './state/store.js';
import {parseClientCommand, type ClientCommand} from './ui/client-commands.js';
import {readScript, type ScriptLine} from './net/script.js';
import {escapeForms, parseEscapes} from './protocol/escapes.js';
import {viewCommands} from './view-commands.js';
import {commandHelp} from './ui/client-commands.js';

/**
 * Binds the screen's requests to the engines (in this thread or the engine thread); results and
 * failures are told in the store. Whether the client is connected or a row open is read from
 * the store, which the engines' events keep current.
 */
export function engineActions(engine: EngineControl, store: Store): Actions {
	const connected = (): boolean => store.client.state === 'connected';
	/** A typed line as it goes out: its escapes read when they are on; undefined (told) when one is bad. */
	const typed = (text: string): string | Uint8Array | undefined => {
		if (!store.inputEscapes) {
			return text;
		}

		try {
			return parseEscapes(text);
		} catch (error) {
			store.say(`${messageOf(error)} — nothing sent`, 'error');
			return undefined;
		}
	};

	const viewCommand = viewCommands(store);

	/**
	 * In a connection's or a relay's input box: the view commands act, a mistyped command is
	 * told and never sent (`//text` sends a line that starts with /); true when it was either.
	 */
	const boxCommand = (command: ClientCommand, id: number): boolean => {
		if (command.kind === 'error') {
			store.say(command.message, 'warning');
			return true;
		}

		return viewCommand(command, id);
	};

	return {
		sendTo(id, line) {
			// In a connection's transcript, /filter and /save act on it; anything else is sent.
			const command = parseClientCommand(line);
			if (boxCommand(command, id)) {
				return;
			}

			const text = typed(command.kind === 'send' ? command.text : line);
			if (text === undefined) {
				return;
			}

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
			if (boxCommand(command, id)) {
				return;
			}

			const body = command.kind === 'hex' ? command.bytes : typed(command.kind === 'send' ? command.text : line);
			if (body === undefined) {
				return;
			}

			// The line ends as that direction's lines do (\r\n for HTTP), \n before any was seen; /hex bytes go as they are.
			const eol = command.kind === 'hex' ? '' : (store.rows.get(id)?.relay?.eol[direction] ?? '\n');
			const bytes = Buffer.concat([typeof body === 'string' ? Buffer.from(body, 'utf8') : body, Buffer.from(eol, 'latin1')]);
			void engine.steer(id, {kind: 'inject', direction, base64: bytes.toString('base64')}).then(sent => {
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
					const text = typed(command.text);
					if (text === undefined) {
						break;
					}

					if (connected()) {
						engine.clientSend(text);
					} else {
						store.say('not connected — /connect HOST:PORT', 'warning');
					}

					break;
				}

				case 'repeat': {
					const text = typed(command.text);
					if (text === undefined) {
						break;
					}

					if (!connected()) {
						store.say('not connected — /connect HOST:PORT', 'warning');
						break;
					}

					void engine.repeat(command.count, command.intervalMs, text).then(sent => {
						store.say(`/repeat: sent ${sent} of ${command.count}`);
					});
					break;
				}

				case 'stop': {
					engine.stopRepeat();
					break;
				}

				case 'hex': {
					if (connected()) {
						engine.clientWrite(command.bytes);
					} else {
						store.say('not connected — /connect HOST:PORT', 'warning');
					}

					break;
				}

				case 'escapes': {
					store.setInputEscapes(command.on ?? !store.inputEscapes);
					store.notify(store.inputEscapes ? `escapes on: ${escapeForms} in typed lines are bytes` : 'escapes off: typed lines are sent as typed');
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
				case 'save':
				case 'explain':
				case 'timeline': {
					viewCommand(command, 'client');
					break;
				}

				case 'send-file': {
					if (!connected()) {
						store.say('not connected — /connect HOST:PORT', 'warning');
						break;
					}

					let lines: ScriptLine[];
					try {
						lines = readScript(command.file, store.inputEscapes);
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
