import {describe, expect, it} from 'vitest';
import {startFakeApp} from '../helpers/fake-app.js';
import {effectsSettled, frameWith} from '../helpers/ui.js';

/** The tutorial client's life on connection #1: its name, the server's answer 1.25 s later, its FIN, our close. */
function tutorialLife(app: ReturnType<typeof startFakeApp>): number {
	const opened = app.store.rows.get(1)!.openedAt;
	app.bus.emit({type: 'conn.reply', ts: opened + 1, id: 1, kind: 'welcome', text: 'Hello!\n'});
	app.bus.emit({type: 'conn.write', ts: opened + 1, id: 1, bytes: 7});
	app.bus.emit({type: 'conn.read', ts: opened + 5, id: 1, bytes: 5});
	app.bus.emit({type: 'conn.message', ts: opened + 5, id: 1, text: 'ping'});
	app.bus.emit({type: 'conn.reply', ts: opened + 1255, id: 1, kind: 'reply', text: 'pong\n'});
	app.bus.emit({type: 'conn.write', ts: opened + 1255, id: 1, bytes: 5});
	app.bus.emit({type: 'conn.end', ts: opened + 1300, id: 1});
	app.bus.emit({type: 'conn.close', ts: opened + 1301, id: 1, reason: 'eof', bytesIn: 5, bytesOut: 12, messagesIn: 1, durationMs: 1301});
	return opened;
}

describe('the timeline (t, /timeline)', () => {
	it('shows every step of a connection from listen to close, timed from its start, with client ↔ server lanes and a slow reply marked', async () => {
		const app = startFakeApp('serve', {rows: 1, height: 20, columns: 150});
		tutorialLife(app);
		await frameWith(app.lastFrame, frame => frame.includes('PEER'));
		await effectsSettled();
		app.stdin.write('t');
		// The fake app records what the screen asks (screen-actions.ts turns /timeline on).
		await frameWith(() => JSON.stringify(app.calls), calls => calls.includes('["submit","/timeline"]'));
		app.store.setTimeline(true);
		app.stdin.write('\r');
		const frame = await frameWith(app.lastFrame, frame => frame.includes('close (eof)'));
		const lines = frame.split('\n');
		const line = (text: string): string => lines.find(candidate => candidate.includes(text)) ?? `(no line with ${text})`;
		expect(line('time')).toMatch(/time {4}wait {3}client server step/);
		expect(line('listen on')).toMatch(/[+-]0\.00\ds +│ {10}•│ listen on 127\.0\.0\.1:9999, backlog 511 \(queued for accept\(\)\)/);
		expect(line('accept:')).toMatch(/\+0\.000s +│────SYN───▶│ accept: 127\.0\.0\.1:50001 → 127\.0\.0\.1:9999/);
		expect(line('send welcome')).toMatch(/\+0\.001s \+1ms +│◀────7 B───│ send welcome: "Hello!\\n"/);
		expect(line('recv: 5')).toMatch(/\+0\.005s \+4ms +│────5 B───▶│ recv: 5 bytes/);
		expect(line('framing')).toMatch(/│ {10}•│ framing: a line: "ping"/);
		// The reply came 1.25 s after the client's line: it stands out.
		expect(line('send reply')).toMatch(/\+1\.255s \+1\.3s +│◀────5 B───│ send reply: "pong\\n" ⏱ waited 1250 ms/);
		expect(line('FIN: no more')).toMatch(/\+1\.300s \+45ms +│────FIN───▶│ the client's FIN: no more from it; recv\(\) returns b''/);
		expect(line('close (eof)')).toMatch(/│◀────FIN───│ close \(eof\): client closed first · 5 B in, 12 out/);
		// No row of its own for a write: its reply's row says it.
		expect(lines.filter(candidate => candidate.includes('│◀')).length).toBe(3);
		app.dispose();
	});

	it('tells each step as the tutorial\'s call with explain on (e), and goes back to the transcript with t', async () => {
		const app = startFakeApp('serve', {rows: 1, height: 20, columns: 120});
		tutorialLife(app);
		await frameWith(app.lastFrame, frame => frame.includes('PEER'));
		await effectsSettled();
		app.stdin.write('te');
		await frameWith(() => JSON.stringify(app.calls), calls => calls.includes('["submit","/timeline"],["submit","/explain"]'));
		app.store.setTimeline(true);
		app.store.setExplain(true);
		app.stdin.write('\r');
		const frame = await frameWith(app.lastFrame, frame => frame.includes('conn, addr = s.accept()'));
		expect(frame).toContain('the tutorial\'s call');
		expect(frame).toMatch(/│────5 B───▶│ conn\.recv\(1024\) -> 5 bytes/);
		expect(frame).toMatch(/│◀────5 B───│ conn\.sendall\(b'pong\\n'\) +# reply/);
		expect(frame).toMatch(/│────FIN───▶│ conn\.recv\(1024\) -> b'' +# the peer clos/);
		app.stdin.write('\u001B');
		await frameWith(app.lastFrame, frame => frame.includes('PEER'));
		await effectsSettled();
		app.store.setTimeline(false);
		app.stdin.write('\r');
		await frameWith(app.lastFrame, frame => frame.includes('conn.sendall(b\'pong\\n\')') && !frame.includes('│◀'));
		app.dispose();
	});

	it('stays legible at 80 columns: the lanes and the step\'s start fit in the server pane', async () => {
		const app = startFakeApp('serve', {rows: 1, height: 20, columns: 80});
		tutorialLife(app);
		await frameWith(app.lastFrame, frame => frame.includes('PEER'));
		await effectsSettled();
		app.store.setTimeline(true);
		app.stdin.write('\r');
		const frame = await frameWith(app.lastFrame, frame => frame.includes('│◀────5 B───│'));
		expect(frame).toMatch(/\+1\.255s \+1\.3s +│◀────5 B───│ send reply/);
		expect(frame).toMatch(/│────FIN───▶│ the client/);
		app.dispose();
	});
});

describe('explain in the UDP feed', () => {
	it('tells each datagram as recvfrom/sendto, with its sender, and why there are no rows', async () => {
		const app = startFakeApp('serve', {rows: 1, height: 16, columns: 240});
		const peer = {address: '127.0.0.1', port: 50_123, family: 'IPv4' as const};
		app.bus.emit({type: 'udp.listening', ts: Date.now(), host: '127.0.0.1', port: 9999, family: 'IPv4', receiveBuffer: 212_992});
		app.bus.emit({type: 'udp.datagram', ts: Date.now(), peer, bytes: 5, text: 'ping\n'});
		app.bus.emit({type: 'udp.reply', ts: Date.now(), peer, bytes: 12, text: 'Hello, ping!'});
		app.store.setExplain(true);
		const frame = await frameWith(app.lastFrame, frame => frame.includes('recvfrom'));
		expect(frame).toContain('no listen(), no accept(), no rows');
		expect(frame).toContain('← data, addr = u.recvfrom(1024) -> b\'ping\\n\', (\'127.0.0.1\', 50123)');
		expect(frame).toContain('→ u.sendto(b\'Hello, ping!\', (\'127.0.0.1\', 50123))');
		app.dispose();
	});
});

describe('the help overlay', () => {
	it('says which of its lines it shows when they do not all fit, and scrolls to the rest (Esc then ? in one burst)', async () => {
		const app = startFakeApp('all', {rows: 20, columns: 100});
		await frameWith(app.lastFrame, frame => frame.includes('PEER'));
		await effectsSettled();
		app.stdin.write('\u001B?');
		let frame = await frameWith(app.lastFrame, frame => frame.includes('socket-tui keys'));
		const [, shown, total] = /lines 1–(\d+) of (\d+), ↑↓ PgUp PgDn scroll/.exec(frame)!.map(Number) as [number, number, number];
		expect(shown).toBeLessThan(total);
		app.stdin.write('\u001B[F');
		frame = await frameWith(app.lastFrame, frame => frame.includes(`–${total} of ${total}`));
		expect(frame).toContain('/help');
		app.dispose();
	});
});
