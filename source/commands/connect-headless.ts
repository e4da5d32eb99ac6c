import {defaults, type Config} from '../config.js';
import type {Engine} from '../engine.js';
import type {ClientState} from '../events.js';
import {untilShutdown} from '../lifecycle.js';
import {firstMessage, sendScript, settle, type ScriptLine} from '../net/script.js';

const {greetingWaitMs, scriptReplyWaitMs: replyWaitMs} = defaults;

/**
 * `connect --send-file` without a screen: the file's lines are sent in order, each after the
 * previous reply; the transcript is printed by the sink. With --once it disconnects once the
 * script's replies are in; otherwise it runs until the server closes or a signal. Exit 1 if it
 * never connected. (Without --send-file, connect is nc: connect-pipe.ts.)
 */
export async function connectHeadless(engine: Engine, config: Config, script: readonly ScriptLine[] | undefined, stdout: NodeJS.WriteStream): Promise<number> {
	const client = engine.client!;
	const outcome = await engine.bus.next('client.state', event => event.id === client.id && event.state !== 'connecting');
	if (outcome.state !== 'connected') {
		return 1;
	}

	const ended = engine.bus.next('client.state', event => event.id === client.id && event.state !== 'connected');
	const shutdown = untilShutdown([stdout]);
	if (script) {
		await firstMessage(engine.bus, greetingWaitMs, client.id);
		await sendScript(engine.bus, client, script, {intervalMs: config.intervalMs, replyWaitMs});
		if (config.once) {
			await settle(engine.bus, client, replyWaitMs);
			client.disconnect();
			return exitCodeOf((await ended).state);
		}
	}

	const first = await Promise.race([ended, shutdown]);
	return typeof first === 'string' ? 0 : exitCodeOf(first.state);
}

function exitCodeOf(state: ClientState): number {
	return state === 'closed' ? 0 : 1;
}
