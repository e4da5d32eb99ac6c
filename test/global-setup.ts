import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

/** The CLI tests run the built binary: build it once, from the sources under test, as it ships. */
export default function setup(): void {
	const root = fileURLToPath(new URL('..', import.meta.url));
	execFileSync(process.execPath, ['scripts/build.js'], {cwd: root, stdio: 'inherit'});
}
