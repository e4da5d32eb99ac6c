// The whole test suite on each supported Node release (22 and 24: the product's floor and the
// current one), whatever Node is installed: the npm registry ships Node releases as the `node`
// package, and npx fetches each once and keeps it in its cache. The runner (vitest), node-pty
// (a Node-API addon: one build serves every release) and the CLI under test all run on that
// release. SOCKET_TUI_NODES=24 picks which; extra arguments go to vitest (a file, -t NAME).
import {execFileSync, spawnSync} from 'node:child_process';

const versions = (process.env['SOCKET_TUI_NODES'] ?? '22,24').split(',').filter(Boolean);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const vitest = 'node_modules/vitest/vitest.mjs';
const memory = 'test/integration/memory.test.ts';
const extra = process.argv.slice(2);
let failed = false;
for (const [index, version] of versions.entries()) {
	const nodePath = execFileSync(npx, ['--yes', '--package', `node@${version}`, 'node', '-p', 'process.execPath'], {encoding: 'utf8'}).trim();
	const actual = execFileSync(nodePath, ['--version'], {encoding: 'utf8'}).trim();
	console.log(`\n== the tests on Node ${actual} (${nodePath})`);
	const run = args => spawnSync(nodePath, [vitest, 'run', ...args], {stdio: 'inherit'}).status === 0;
	failed = !run(extra.length > 0 ? extra : ['--exclude', memory]) || failed;
	// The memory-bound tests run alone (nothing else on the cores), and once: their bound is about
	// our buffers, and V8's collector moves RSS by tens of MB from run to run and release to release.
	if (index === 0 && extra.length === 0) {
		failed = !run([memory]) || failed;
	}
}

process.exitCode = failed ? 1 : 0;
