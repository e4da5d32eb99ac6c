import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {connect as connectTls} from 'node:tls';
import {pathToFileURL} from 'node:url';
import {X509Certificate} from '@peculiar/x509';
import {afterEach, describe, expect, it} from 'vitest';
import {CliProcess, runCliBytes} from '../helpers/cli.js';
import {packageDirectory} from '../helpers/package-path.js';
import {startTestServer, type TestServer} from '../helpers/server.js';
import {startSocks5Server} from '../helpers/socks5-server.js';

// What ships: the packed tarball as installed (test/global-setup.ts), not the sources.

const closers: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
	for (const close of closers.splice(0).reverse()) {
		await close();
	}
});

describe('the installed package', () => {
	const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as Record<string, unknown>;

	it('has no runtime dependencies and no install scripts (everything it runs is bundled)', () => {
		expect(manifest['dependencies'] ?? {}).toEqual({});
		const scripts = Object.keys((manifest['scripts'] ?? {}) as Record<string, string>);
		for (const lifecycle of ['preinstall', 'install', 'postinstall', 'prepare']) {
			expect(scripts).not.toContain(lifecycle);
		}

		expect(readdirSync(join(packageDirectory, '..')).filter(name => !name.startsWith('.'))).toEqual(['socket-tui']);
	});

	it('loads every chunk of its bundle, and each lazily loaded CommonJS library keeps its named exports', async () => {
		const folder = join(packageDirectory, 'dist', 'chunks');
		const chunks = readdirSync(folder).filter(name => name.endsWith('.js'));
		expect(chunks.length).toBeGreaterThan(3);
		for (const chunk of chunks) {
			const loading = import(pathToFileURL(join(folder, chunk)).href) as Promise<Record<string, unknown>>;
			if (chunk.startsWith('devtools-')) {
				// Ink loads it only with DEV=true, and then says to install react-devtools-core,
				// an optional peer that is not shipped (scripts/bundle-options.js).
				await expect(loading).rejects.toThrow(/Cannot find package 'react-devtools-core'/);
				continue;
			}

			expect(await loading, chunk).toBeTypeOf('object');
		}

		// The bundle gives a lazily loaded CommonJS library as its default export only: the code
		// must read it through commonJsExports (source/net/common-js.ts).
		const source = chunks.map(chunk => readFileSync(join(folder, chunk), 'utf8')).join('\n');
		expect(source).not.toMatch(/const \{\s*\w+\s*\} = await import\("\.\/(?:selfsigned|build)-/);
	});
});

describe('serve --tls from the package', () => {
	it('makes a certificate signed with SHA-256, valid from before now, and says its fingerprint', async () => {
		const cli = new CliProcess(['serve', '--tls', '--json', '--port', '0', '--no-udp']);
		closers.push(async () => {
			cli.child.kill();
			await cli.exited;
		});
		const tls = JSON.parse(await cli.waitForLine(line => line.includes('"server.tls"'))) as {fingerprint256: string};
		const listening = JSON.parse(await cli.waitForLine(line => line.includes('"server.listening"'))) as {port: number};
		const socket = connectTls({port: listening.port, host: '127.0.0.1', servername: 'localhost', rejectUnauthorized: false});
		closers.push(() => socket.destroy());
		await new Promise(resolve => socket.once('secureConnect', resolve));
		const peer = socket.getPeerX509Certificate()!;
		expect(peer.fingerprint256).toBe(tls.fingerprint256);
		const parsed = new X509Certificate(peer.raw);
		expect(parsed.signatureAlgorithm).toMatchObject({name: 'ECDSA', hash: {name: 'SHA-256'}});
		expect(parsed.notBefore.getTime()).toBeLessThan(Date.now() - 60 * 60 * 1000);
		expect(peer.subjectAltName).toContain('DNS:localhost');
		expect(peer.subjectAltName).toContain('IP Address:127.0.0.1');
	});
});

describe('--proxy socks5:// from the package', () => {
	let server: TestServer | undefined;
	afterEach(async () => {
		await server?.engine.stop();
		server = undefined;
	});

	it('connect reaches the tutorial server through a SOCKS5 proxy, piped', async () => {
		server = await startTestServer();
		const socks = await startSocks5Server({user: 'ann', password: 's3cret'});
		closers.push(socks.close);
		const {code, stdout, stderr} = await runCliBytes(['connect', `127.0.0.1:${server.port}`, '--proxy', `socks5://ann:s3cret@127.0.0.1:${socks.port}`], 'Bob\nexit\n');
		expect(stderr).not.toMatch(/unexpected failure/);
		expect(stdout.toString()).toBe('Welcome!\nHello, Bob!\n');
		expect(code).toBe(0);
	});
});
