import {spawn, spawnSync} from 'node:child_process';
import {lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCliBytes} from '../helpers/cli.js';

// What `get` writes is chosen by the user (through the packed CLI): never an existing file's
// name unless -o names it, never a replaced device, FIFO or link, never a hidden or unbounded
// name from the network; and credentials given for one host never go to another.

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => new Promise(resolve => {
		server.close(resolve);
	})));
});

/** An HTTP server on loopback: `route(path)` gives the status, headers and body; every request's headers are kept. */
async function httpServer(route: (path: string) => {status?: number; headers?: Record<string, string>; body?: string}): Promise<{port: number; requests: Array<{path: string; headers: IncomingHttpHeaders}>}> {
	const requests: Array<{path: string; headers: IncomingHttpHeaders}> = [];
	const server = createServer((request, response) => {
		requests.push({path: request.url ?? '', headers: request.headers});
		const {status = 200, headers = {}, body = ''} = route(request.url ?? '');
		response.writeHead(status, {...headers, 'content-length': Buffer.byteLength(body)});
		response.end(body);
	});
	servers.push(server);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {port: (server.address() as {port: number}).port, requests};
}

const folder = (): string => mkdtempSync(join(tmpdir(), 'socket-tui-get-'));

describe('get: the file written', () => {
	it('never replaces an existing file it named itself: notes.txt.1, then .2 (wget), and says so; -o NAME overwrites on purpose', async () => {
		const {port} = await httpServer(() => ({body: 'from the server\n'}));
		const cwd = folder();
		writeFileSync(join(cwd, 'notes.txt'), 'mine\n');
		const first = await runCliBytes(['get', `http://127.0.0.1:${port}/notes.txt`], '', undefined, cwd);
		expect(first.code).toBe(0);
		expect(first.stderr).toMatch(/saved 16 bytes to notes\.txt\.1 \(named from the URL you gave; notes\.txt exists; -o NAME to choose\)/);
		const second = await runCliBytes(['get', `http://127.0.0.1:${port}/notes.txt`], '', undefined, cwd);
		expect(second.stderr).toContain('to notes.txt.2');
		expect(readFileSync(join(cwd, 'notes.txt'), 'utf8')).toBe('mine\n');
		expect(readFileSync(join(cwd, 'notes.txt.1'), 'utf8')).toBe('from the server\n');
		expect(readFileSync(join(cwd, 'notes.txt.2'), 'utf8')).toBe('from the server\n');
		const chosen = await runCliBytes(['get', `http://127.0.0.1:${port}/notes.txt`, '-o', 'notes.txt'], '', undefined, cwd);
		expect(chosen.code).toBe(0);
		expect(readFileSync(join(cwd, 'notes.txt'), 'utf8')).toBe('from the server\n');
		expect(readdirSync(cwd).sort()).toEqual(['notes.txt', 'notes.txt.1', 'notes.txt.2']);
	});

	it('-o naming a FIFO, a symbolic link or a device writes into it and leaves it what it was; a folder is refused', async () => {
		const {port} = await httpServer(() => ({body: 'body bytes\n'}));
		const cwd = folder();
		const url = `http://127.0.0.1:${port}/x`;

		expect(spawnSync('mkfifo', [join(cwd, 'pipe')]).status).toBe(0);
		const reader = spawn('cat', [join(cwd, 'pipe')]);
		const read = new Promise<string>(resolve => {
			let text = '';
			reader.stdout.on('data', (chunk: Buffer) => {
				text += chunk.toString();
			});
			reader.on('close', () => resolve(text));
		});
		expect((await runCliBytes(['get', url, '-o', join(cwd, 'pipe')])).code).toBe(0);
		expect(await read).toBe('body bytes\n');
		expect(lstatSync(join(cwd, 'pipe')).isFIFO()).toBe(true);

		writeFileSync(join(cwd, 'target.txt'), 'old\n');
		symlinkSync('target.txt', join(cwd, 'link'));
		expect((await runCliBytes(['get', url, '-o', join(cwd, 'link')])).code).toBe(0);
		expect(lstatSync(join(cwd, 'link')).isSymbolicLink()).toBe(true);
		expect(readFileSync(join(cwd, 'target.txt'), 'utf8')).toBe('body bytes\n');

		// A null device of our own, in the temporary folder (never /dev itself); root only.
		if (spawnSync('mknod', [join(cwd, 'null'), 'c', '1', '3']).status === 0) {
			expect((await runCliBytes(['get', url, '-o', join(cwd, 'null')])).code).toBe(0);
			expect(lstatSync(join(cwd, 'null')).isCharacterDevice()).toBe(true);
		}

		mkdirSync(join(cwd, 'dir'));
		const directory = await runCliBytes(['get', url, '-o', join(cwd, 'dir')]);
		expect(directory.code).toBe(2);
		expect(directory.stderr).toMatch(/is a folder/);
		expect(readdirSync(cwd).filter(name => name.endsWith('.part'))).toEqual([]);
	});

	it('a name from the network is never hidden, never too long, and printable (--trust-server-names after a redirect)', async () => {
		const names = ['%2E%20%2Ebashrc', '%20.%20.profile', 'a%E2%80%AEtxt.exe', 'b%C2%9Bc', 'z'.repeat(300) + '.txt', '..', '%2E'];
		const {port} = await httpServer(path => (path.startsWith('/go/') ? {status: 302, headers: {location: `/to/${path.slice(4)}`}} : {body: 'x'}));
		const cwd = folder();
		for (const name of names) {
			const {code, stderr} = await runCliBytes(['get', `http://127.0.0.1:${port}/go/${name}`, '-L', '--trust-server-names'], '', undefined, cwd);
			expect(stderr, name).not.toMatch(/unexpected failure|ENAMETOOLONG/);
			expect(code, name).toBe(0);
		}

		const saved = readdirSync(cwd);
		expect(saved.filter(name => name.startsWith('.'))).toEqual([]);
		for (const name of saved) {
			expect(Buffer.byteLength(name), name).toBeLessThanOrEqual(204);
			expect(name, name).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/);
		}

		expect(saved).toContain('bashrc');
		expect(saved).toContain('profile');
		expect(saved).toContain('a_txt.exe');
	});
});

describe('get: more of what it writes', () => {
	it('a URL\'s name taken by a folder gives NAME.1; -o over a file keeps its permissions', async () => {
		const {port} = await httpServer(() => ({body: 'data\n'}));
		const cwd = folder();
		mkdirSync(join(cwd, 'report'));
		const named = await runCliBytes(['get', `http://127.0.0.1:${port}/report`], '', undefined, cwd);
		expect(named.code).toBe(0);
		expect(readFileSync(join(cwd, 'report.1'), 'utf8')).toBe('data\n');
		writeFileSync(join(cwd, 'mine.txt'), 'old\n', {mode: 0o640});
		expect((await runCliBytes(['get', `http://127.0.0.1:${port}/x`, '-o', 'mine.txt'], '', undefined, cwd)).code).toBe(0);
		expect(readFileSync(join(cwd, 'mine.txt'), 'utf8')).toBe('data\n');
		expect(statSync(join(cwd, 'mine.txt')).mode & 0o777).toBe(0o640);
	});

	it('user:password@ in the URL is sent as HTTP Basic (as curl), never shown, and not sent to another host', async () => {
		const other = await httpServer(() => ({body: 'other\n'}));
		const first = await httpServer(path => (path === '/away' ? {status: 302, headers: {location: `http://127.0.0.1:${other.port}/landed`}} : {body: 'secret page\n'}));
		const {code, stdout, stderr} = await runCliBytes(['get', `http://ann:s%40cret@127.0.0.1:${first.port}/page`, '-o', '-', '--json']);
		expect(code).toBe(0);
		expect(stdout.toString()).toBe('secret page\n');
		expect(first.requests.at(-1)!.headers['authorization']).toBe(`Basic ${Buffer.from('ann:s@cret').toString('base64')}`);
		expect(stderr).not.toContain('s%40cret');
		expect(stderr).toContain('ann:***@127.0.0.1');
		await runCliBytes(['get', `http://ann:pw@127.0.0.1:${first.port}/away`, '-L', '-o', '-']);
		expect(other.requests.at(-1)!.headers['authorization']).toBeUndefined();
	});
});

describe('get -L: credentials stay with their host', () => {
	it('drops Authorization and Cookie on a redirect to another host or port (curl), keeps them on the same one, and sends them with --location-trusted', async () => {
		const other = await httpServer(() => ({body: 'other\n'}));
		const first = await httpServer(path => (path === '/same' ? {status: 302, headers: {location: '/final'}} : (path === '/away' ? {status: 302, headers: {location: `http://127.0.0.1:${other.port}/landed`}} : {body: 'here\n'})));
		const headers = ['-H', 'Authorization: Bearer SECRET', '-H', 'Cookie: sid=X', '-H', 'X-Trace: 7'];
		const same = await runCliBytes(['get', `http://127.0.0.1:${first.port}/same`, '-L', '-o', '-', ...headers]);
		expect(same.stdout.toString()).toBe('here\n');
		expect(first.requests.at(-1)!.headers).toMatchObject({authorization: 'Bearer SECRET', cookie: 'sid=X', 'x-trace': '7'});

		const away = await runCliBytes(['get', `http://127.0.0.1:${first.port}/away`, '-L', '-o', '-', ...headers]);
		expect(away.stdout.toString()).toBe('other\n');
		expect(away.stderr).toContain(`not sending Authorization, Cookie to http://127.0.0.1:${other.port}`);
		expect(other.requests.at(-1)!.headers['authorization']).toBeUndefined();
		expect(other.requests.at(-1)!.headers['cookie']).toBeUndefined();
		expect(other.requests.at(-1)!.headers['x-trace']).toBe('7');

		await runCliBytes(['get', `http://127.0.0.1:${first.port}/away`, '-L', '--location-trusted', '-o', '-', ...headers]);
		expect(other.requests.at(-1)!.headers).toMatchObject({authorization: 'Bearer SECRET', cookie: 'sid=X'});
	});
});
