import {describe, expect, it} from 'vitest';
import {payloadBytes} from '../../source/protocol/payload.js';
import {frameWith, startApp} from '../helpers/ui.js';

describe('bytes typed exactly', () => {
	it('sends /hex bytes as they are, and with /escapes on reads \\xNN and \\r in typed lines; {seq} numbers lines', async () => {
		const {lastFrame, stdin, log} = await startApp('connect', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write(String.raw`a\x41` + '\r');
		await log.waitFor('conn.message', event => event.text === String.raw`a\x41`);
		stdin.write('/escapes on\r');
		await frameWith(lastFrame, frame => frame.includes(String.raw`escapes on: \r \n`));
		stdin.write(String.raw`b\x00\xffc` + '\r');
		await log.waitFor('conn.message', event => event.base64 !== undefined);
		expect(payloadBytes(log.of('conn.message').at(-1)!)).toEqual(Buffer.from([0x62, 0, 0xFF, 0x63]));
		stdin.write(String.raw`s{seq}\x21` + '\r');
		await log.waitFor('conn.message', event => event.text === 's3!');
		stdin.write(String.raw`bad\q` + '\r');
		await frameWith(lastFrame, frame => frame.includes(String.raw`unknown escape \q`));
		stdin.write('/hex 70 69 6e 67 0a\r');
		await log.waitFor('conn.message', event => event.text === 'ping');
		stdin.write('/escapes off\rn{seq}\rn{seq}\r');
		await log.waitFor('conn.message', event => event.text === 'n5');
		expect(log.of('conn.message').map(event => event.text).slice(-2)).toEqual(['n4', 'n5']);
	});
});

describe('/repeat', () => {
	it('sends a line N times, {seq} numbering them, shows its progress, and Esc stops it', async () => {
		const {lastFrame, stdin, log} = await startApp('connect', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('/repeat 5 0 ping {seq}\r');
		await log.waitFor('client.repeat', event => event.done);
		await log.waitFor('conn.message', event => event.text === 'ping 5');
		expect(log.of('conn.message').map(event => event.text)).toEqual(['ping 1', 'ping 2', 'ping 3', 'ping 4', 'ping 5']);
		await frameWith(lastFrame, frame => frame.includes('/repeat done: 5 of 5 sent'));
		stdin.write('/repeat 100000 20 x\r');
		await frameWith(lastFrame, frame => /repeat \d+\/100000 · Esc stops/.test(frame));
		stdin.write('\u001B');
		const stopped = await log.waitFor('client.repeat', event => event.done && event.total === 100_000);
		expect(stopped.stopped).toBe(true);
		expect(stopped.sent).toBeLessThan(100_000);
		await frameWith(lastFrame, frame => frame.includes('/repeat stopped'));
	});
});

describe('/explain', () => {
	it('tells the transcript as the tutorial\'s calls, and /explain off goes back', async () => {
		const {lastFrame, stdin} = await startApp('connect', {rows: 30});
		await frameWith(lastFrame, frame => frame.includes('← Welcome!'));
		stdin.write('/explain on\rMichael\r');
		await frameWith(lastFrame, frame => frame.includes(String.raw`→ c.send(b'Michael\n')`) && frame.includes(String.raw`← c.recv(1024) -> b'Hello, Michael!\n'`) && frame.includes(String.raw`← c.recv(1024) -> b'Welcome!\n'`));
		stdin.write('/explain off\r');
		await frameWith(lastFrame, frame => frame.includes('→ Michael') && frame.includes('← Hello, Michael!'));
	});
});
