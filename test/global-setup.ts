import {execFileSync} from 'node:child_process';
import {mkdirSync, readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {packageDirectory} from './helpers/package-path.js';

/**
 * The CLI tests run what a user installs: build dist/ from the sources under test, `npm pack`
 * it, and install that tarball into a folder of its own (as `npx socket-tui` does), so a file
 * left out of the package, a dependency missing from it, or a bundle that differs from the
 * sources fails the tests (test/helpers/cli.ts runs that copy).
 */
export default function setup(): void {
	const root = fileURLToPath(new URL('..', import.meta.url));
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	execFileSync(npm, ['run', '--silent', 'build'], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']});
	const folder = join(packageDirectory, '..', '..');
	rmSync(folder, {recursive: true, force: true});
	mkdirSync(folder, {recursive: true});
	execFileSync(npm, ['pack', '--silent', '--pack-destination', folder], {cwd: root, stdio: ['ignore', 'ignore', 'inherit']});
	const tarball = readdirSync(folder).find(name => name.endsWith('.tgz'));
	if (tarball === undefined) {
		throw new Error(`npm pack left no tarball in ${folder}`);
	}

	execFileSync(npm, ['install', '--loglevel=error', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', folder, join(folder, tarball)], {cwd: folder, stdio: ['ignore', 'ignore', 'inherit']});
}
