import type {Eol} from '../events.js';
import {eolOf, greetingResponder, type Responder} from './greeting.js';
import {applyRules, type ReplyRule} from './reply-rules.js';

export type ResponderOptions = {
	readonly eol: Eol;
	/** The tutorial's protocol: Welcome!, Hello, M!, exit. False: a silent listener. */
	readonly greeting: boolean;
	/** Relay mode: messages go to the other clients instead of being answered `Hello, M!`. */
	readonly chat: boolean;
	/** Tried first, in order; the first match answers. */
	readonly rules: readonly ReplyRule[];
};

const silent: Responder = {
	welcome: () => undefined,
	reply: () => undefined,
	isExit: () => false,
};

/**
 * What the server answers: reply rules first, then (when no rule matches) the greeting
 * protocol's `Hello, M!` — unless the greeting is off or messages go to a chat room.
 */
export function makeResponder({eol, greeting, chat, rules}: ResponderOptions): Responder {
	const protocol = greeting ? greetingResponder(eol) : silent;
	const fallback = chat ? silent.reply : protocol.reply;
	if (rules.length === 0) {
		return {...protocol, reply: fallback};
	}

	return {
		welcome: protocol.welcome,
		isExit: protocol.isExit,
		reply(message, peer, text) {
			const answer = applyRules(rules, text ?? message.toString('utf8'), peer);
			if (answer === undefined) {
				return fallback(message, peer, text);
			}

			// A template that ends its own line (\r\n for HTTP, \n) is sent as it is; others get --eol.
			return answer.length > 0 && answer[answer.length - 1] === 0x0A ? answer : Buffer.concat([answer, eolOf(eol)]);
		},
	};
}
