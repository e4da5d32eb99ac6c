import {describe, expect, it} from 'vitest';
import {parseReplyRule} from '../../source/protocol/reply-rules.js';
import {runCli} from '../helpers/cli.js';
import type {Peer} from '../helpers/peer.js';
import {serverSession} from '../helpers/session.js';

const session = serverSession();

/** A raw client, greeted already. */
async function peer(port: number): Promise<Peer> {
	const connected = await session.peer(port);
	await connected.waitForText('Welcome!');
	return connected;
}

describe('the operator talks too', () => {
	it('sends to one connection, and broadcasts to every open one', async () => {
		const server = await session.start();
		const first = await peer(server.port);
		const second = await peer(server.port);
		const firstId = server.log.of('conn.open', event => event.peer.port === first.socket.localPort)[0]!.id;
		expect(server.engine.server!.sendTo(firstId, 'just you')).toBe(true);
		await first.waitForText('just you\n');
		expect(server.engine.server!.broadcast('everyone')).toBe(2);
		await first.waitForText('everyone\n');
		await second.waitForText('everyone\n');
		expect(second.text).not.toContain('just you');
		const sent = server.log.of('conn.reply', event => event.kind === 'operator');
		expect(sent.map(event => [event.id, event.text])).toEqual([[firstId, 'just you\n'], [firstId, 'everyone\n'], [firstId + 1, 'everyone\n']]);
		expect(server.engine.server!.sendTo(999, 'nobody')).toBe(false);
	});
});

describe('--chat (formerly --relay)', () => {
	it('makes a chat room: each line reaches every other client, tagged with its sender', async () => {
		const server = await session.start({chat: true});
		const [alice, bob, carol] = [await peer(server.port), await peer(server.port), await peer(server.port)];
		alice.write('hi all\n');
		const tag = `[127.0.0.1:${alice.socket.localPort}] hi all\n`;
		await bob.waitForText(tag);
		await carol.waitForText(tag);
		bob.write('hey alice\n');
		await alice.waitForText(`[127.0.0.1:${bob.socket.localPort}] hey alice\n`);
		await carol.waitForText('hey alice');
		expect(alice.text).not.toContain('hi all');
		expect(alice.text).not.toContain('Hello,');
		expect(server.log.of('conn.reply', event => event.kind === 'chat')).toHaveLength(4);
	});
});

describe('reply rules', () => {
	it('answers with the first matching rule, with groups and {peer}, and falls back to Hello', async () => {
		const server = await session.start({
			replyRules: [parseReplyRule('^ping$=>pong'), parseReplyRule('^my name is (\\w+)$=>hi $1, you are {peer} ($&)'), parseReplyRule('^ping=>never reached')],
		});
		const client = await peer(server.port);
		client.write('ping\nmy name is Ada\nsomething else\n');
		await client.waitForText('Hello, something else!\n');
		expect(client.text).toBe(`Welcome!\npong\nhi Ada, you are 127.0.0.1:${client.socket.localPort} (my name is Ada)\nHello, something else!\n`);
	});

	it('is a silent listener with --no-greeting, yet rules still answer', async () => {
		const server = await session.start({greeting: false, replyRules: [parseReplyRule('^ping$=>pong')]});
		const client = await session.peer(server.port);
		client.write('hello?\nping\nexit\n');
		await client.waitForText('pong\n');
		expect(client.text).toBe('pong\n');
		await server.log.waitForCount('conn.message', 3);
		expect(server.engine.server!.openCount).toBe(1);
	});

	it('rejects a bad rule at start with exit 2', async () => {
		const bad = await runCli(['serve', '--port', '0', '--reply', '([a-=>x']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('bad regular expression');
		const noArrow = await runCli(['serve', '--port', '0', '--reply', 'ping']);
		expect(noArrow.code).toBe(2);
		expect(noArrow.stderr).toContain('--reply needs REGEX=>TEMPLATE');
	});
});

describe('serve --relay, the old name of --chat', () => {
	it('still makes a chat room, and says it is now --chat', async () => {
		const {CliProcess} = await import('../helpers/cli.js');
		const cli = new CliProcess(['serve', '--relay', '--json', '--port', '0', '--no-udp']);
		try {
			const listening = JSON.parse(await cli.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
			const {Peer} = await import('../helpers/peer.js');
			const alice = await Peer.connect(listening.port);
			const bob = await Peer.connect(listening.port);
			await alice.waitForText('Welcome!\n');
			await bob.waitForText('Welcome!\n');
			alice.write('hi bob\n');
			await bob.waitForText('hi bob\n');
			expect(cli.stderr).toContain('--relay is now --chat');
			alice.socket.destroy();
			bob.socket.destroy();
		} finally {
			cli.child.kill('SIGKILL');
		}
	});
});
