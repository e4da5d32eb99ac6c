// The CLI's integration and pseudo-terminal tests again, with the CLI run by Node 22 and Node 24
// (what users run; the rest of the suite runs on the installed Node). The npm registry ships Node
// releases as the `node` package: npx fetches each once and keeps it in its cache.
// The test runner itself stays on the installed Node (node-pty is built for its ABI); only the
// CLI under test changes (SOCKET_TUI_TEST_NODE, read by test/helpers/cli.ts).
import {execFileSync, spawnSync} from 'node:child_process';

const versions = (process.env['SOCKET_TUI_OTHER_NODES'] ?? '22,24').split(',').filter(Boolean);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
let failed = false;
for (const version of versions) {
	const nodePath = execFileSync(npx, ['--yes', '--package', `node@${version}`, 'node', '-p', 'process.execPath'], {encoding: 'utf8'}).trim();
	const actual = execFileSync(nodePath, ['--version'], {encoding: 'utf8'}).trim();
	console.log(`\n== the CLI's tests on Node ${actual} (${nodePath})`);
	// The memory-bound tests run once, on the installed Node: their bound is about our buffers, and
	// three runs of a bound that V8's collector moves by tens of MB from run to run would only
	// make CI flaky (they can be run on any Node by hand: SOCKET_TUI_TEST_NODE=… vitest run …).
	const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/integration', 'test/e2e', '--exclude', 'test/integration/memory.test.ts'], {
		stdio: 'inherit',
		env: {...process.env, SOCKET_TUI_TEST_NODE: nodePath},
	});
	failed ||= result.status !== 0;
}

process.exitCode = failed ? 1 : 0;
