import {spawn, spawnSync} from 'node:child_process';
import {connect, createServer} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {EventBus} from '../../source/bus.js';
import {configFromFlags} from '../../source/config.js';
import {TcpClient} from '../../source/net/tcp-client.js';
import {EventLog} from '../helpers/collect.js';
import {startTestServer, type TestServer} from '../helpers/server.js';
import {startSocks5Server} from '../helpers/socks5-server.js';

const closers: Array<() => Promise<void> | void> = [];
let server: TestServer | undefined;
afterEach(async () => {
	for (const close of closers.splice(0)) {
		await close();
	}

	await server?.engine.stop();
	server = undefined;
});

function clientVia(proxy: string) {
	const bus = new EventBus();
	const log = new EventLog(bus);
	return {log, client: new TcpClient(bus, configFromFlags({proxy}))};
}

async function freePort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>(resolve => {
		probe.listen(0, '127.0.0.1', resolve);
	});
	const {port} = probe.address() as {port: number};
	await new Promise(resolve => {
		probe.close(resolve);
	});
	return port;
}

describe('--proxy', () => {
	it('reaches the server through a SOCKS5 proxy (with credentials), and names the step that failed', async () => {
		server = await startTestServer();
		const socks = await startSocks5Server({user: 'ann', password: 's3cret'});
		closers.push(socks.close);
		const good = clientVia(`socks5://ann:s3cret@127.0.0.1:${socks.port}`);
		expect(await good.client.connect({host: '127.0.0.1', port: server.port})).toBe('connected');
		expect((await good.log.waitFor('client.received')).text).toBe('Welcome!');
		good.client.send('Michael');
		expect((await good.log.waitFor('client.received', event => event.text.startsWith('Hello'))).text).toBe('Hello, Michael!');
		good.client.disconnect();

		const badAuth = clientVia(`socks5://ann:wrong@127.0.0.1:${socks.port}`);
		expect(await badAuth.client.connect({host: '127.0.0.1', port: server.port})).toBe('error');
		expect((await badAuth.log.waitFor('client.state', event => event.state === 'error')).reason).toMatch(/refused our credentials/);

		const deadTarget = clientVia(`socks5://ann:s3cret@127.0.0.1:${socks.port}`);
		expect(await deadTarget.client.connect({host: '127.0.0.1', port: await freePort()})).toBe('error');
		expect((await deadTarget.log.waitFor('client.state', event => event.state === 'error')).reason).toMatch(/could not reach 127\.0\.0\.1:\d+/);

		const noProxy = clientVia(`socks5://127.0.0.1:${await freePort()}`);
		expect(await noProxy.client.connect({host: '127.0.0.1', port: server.port})).toBe('refused');
		expect((await noProxy.log.waitFor('client.state', event => event.state === 'refused')).reason).toMatch(/the proxy refused the connection/);
	});

	it.skipIf(spawnSync('ncat', ['--version']).status !== 0)('reaches the server through an HTTP CONNECT proxy (ncat -l -k --proxy-type http)', async () => {
		server = await startTestServer();
		const port = await freePort();
		const ncat = spawn('ncat', ['-l', '-k', '127.0.0.1', String(port), '--proxy-type', 'http'], {stdio: 'ignore'});
		closers.push(() => {
			ncat.kill('SIGKILL');
		});
		// Wait until ncat listens (a bounded loop of connect attempts).
		for (let attempt = 0; attempt < 100; attempt++) {
			const up = await new Promise<boolean>(resolve => {
				const probe = connect({port, host: '127.0.0.1'}, () => {
					probe.destroy();
					resolve(true);
				});
				probe.on('error', () => resolve(false));
			});
			if (up) {
				break;
			}

			await new Promise(resolve => setTimeout(resolve, 20));
		}

		const via = clientVia(`http://127.0.0.1:${port}`);
		expect(await via.client.connect({host: '127.0.0.1', port: server.port})).toBe('connected');
		expect((await via.log.waitFor('client.received')).text).toBe('Welcome!');
		via.client.disconnect();
	});

	it('refuses a --proxy it cannot read, in one line', () => {
		expect(() => configFromFlags({proxy: 'ftp://h:1'})).toThrow(/--proxy takes socks5:\/\/HOST:PORT or http:\/\/HOST:PORT/);
		expect(configFromFlags({proxy: 'socks5://a%40b:p@[::1]:1080'}).proxy).toEqual({kind: 'socks5', host: '::1', port: 1080, user: 'a@b', password: 'p'});
	});
});
