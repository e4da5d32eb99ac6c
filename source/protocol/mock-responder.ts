import type {Responder} from './greeting.js';
import {withoutLineEnding} from './line-ending.js';
import type {RecordedConnection} from './recording.js';

/**
 * `serve --mock FILE`: a recorded server stands in for the real one. Each connection is greeted
 * with the recording's first greeting; each message is answered with the reply recorded for the
 * same message (compared without its line ending and the blank lines before it, as the server's
 * line framing delivers it, so a client's CRLF or LF does not matter), in
 * recorded order when the same message was answered differently over time.
 *
 * The policy past the recording: once a message's recorded replies are used up, the last one
 * repeats; a message never recorded gets no reply (the log shows it unanswered). A message after
 * which the recorded server closed the connection (the tutorial's `exit`) closes it here too. The
 * order is kept across connections (a second client's first `ping` gets the next recorded reply).
 */
export function mockResponder(recording: readonly RecordedConnection[]): Responder {
	const greeting = recording.find(connection => connection.greeting.length > 0)?.greeting;
	const replies = new Map<string, Buffer[]>();
	for (const connection of recording) {
		for (const turn of connection.turns) {
			const key = messageKey(turn.sent);
			const queue = replies.get(key) ?? [];
			queue.push(turn.replies);
			replies.set(key, queue);
		}
	}

	// Messages after which the recorded server closed (the tutorial's exit): the mock closes too.
	const closers = new Set(recording.filter(connection => connection.closedAfterLast && connection.turns.length > 0).map(connection => messageKey(connection.turns.at(-1)!.sent)));
	const used = new Map<string, number>();
	let note: string | undefined;
	return {
		welcome: () => greeting,
		reply(message) {
			note = undefined;
			const key = message.toString('latin1');
			const queue = replies.get(key);
			if (!queue) {
				return undefined;
			}

			const count = used.get(key) ?? 0;
			const index = Math.min(count, queue.length - 1);
			used.set(key, count + 1);
			const reply = queue[index]!;
			if (count >= queue.length && reply.length > 0) {
				note = `--mock: the recording's ${queue.length === 1 ? 'answer' : `${queue.length} answers`} to this message ${queue.length === 1 ? 'is' : 'are'} used up; its last one is sent again`;
			}

			return reply.length === 0 ? undefined : reply;
		},
		isExit: message => closers.has(message.toString('latin1')),
		replyNote: () => note,
	};
}

/**
 * A recorded message's wire bytes as the mock's line framing will deliver the message: without
 * the blank lines before it (CR and LF bytes that end empty lines are not a message) and without
 * its own line ending.
 */
function messageKey(sent: Buffer): string {
	let start = 0;
	while (start < sent.length && (sent[start] === 0x0A || sent[start] === 0x0D)) {
		start++;
	}

	return withoutLineEnding(sent.subarray(start)).toString('latin1');
}
