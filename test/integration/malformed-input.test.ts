import {describe, expect, it} from 'vitest';
import {RawCliProcess} from '../helpers/cli.js';

// Every flag and argument that takes an address or a URL, fed malformed values through the packed
// CLI: each is a usage error in one line (and the --help hint), exit 2; never an "unexpected
// failure", never a raw control character on the terminal.

const malformed = [
	'127.0.0.1:99999',
	'127.0.0.1:-1',
	':',
	'[::1',
	'[::1]x:80',
	'h:1:2',
	'127.0.0.1:\u001B]0;title\u0007',
	'\u001B[2J127.0.0.1:1',
	'%zz:1',
	'127.0.0.1:1\r\n',
	'',
];
const urls = ['http://us:50%@127.0.0.1:8', 'socks5://a%zz@127.0.0.1:1', 'http://127.0.0.1:99999', 'ftp://127.0.0.1:21', 'socks5://[::1:1', 'http://\u001B[31m:1', 'http://', 'http://%e2%28:x@127.0.0.1:1'];
const getUrls = ['http://[::1', 'http://127.0.0.1:99999/', 'gopher://127.0.0.1/', 'http://%zz/', 'not a url', 'http://h\u0007/'];

const cases: Array<readonly string[]> = [
	...malformed.flatMap(value => [['connect', value], ['relay', value, '--port', '0'], ['send-udp', value, 'hi'], ['replay', '/dev/null', '--to', value]]),
	...urls.flatMap(value => [['connect', '127.0.0.1:9', '--proxy', value], ['relay', '127.0.0.1:9', '--port', '0', '--proxy', value], ['get', 'http://127.0.0.1:9/', '--proxy', value]]),
	...getUrls.map(value => ['get', value]),
	...['::1]', '127.0.0.1:80', '[::1]', ''].map(value => ['serve', '--host', value]),
	...['99999', '-1', 'x', '1e3', ''].map(value => ['serve', '--port', value]),
	...['10.0.0.0/33', 'x/8', '1.2.3', '', '10.0.0.0/8/8', '127.0.0.1/32/9'].map(value => ['serve', '--allow', value]),
	['get', 'http://127.0.0.1:9/x', '-o', ''],
	['connect', '127.0.0.1:9', '--proxy', 'http://u\u001B[31m:p@127.0.0.1:1'],
	['connect', '127.0.0.1:9', '--proxy', 'socks5://u%1b:p@127.0.0.1:1'],
	['connect', '127.0.0.1:9', '--proxy', 'http://u\u009B:p@127.0.0.1:1'],
	['serve', '--unix', ''],
	['connect', '-z', '127.0.0.1', '30-20'],
	['connect', '-z', '127.0.0.1', '1-99999'],
];

describe('malformed addresses and URLs', () => {
	it(`are usage errors in one line, exit 2, on every flag and argument that takes one (${cases.length} cases)`, async () => {
		const failures: string[] = [];
		for (let start = 0; start < cases.length; start += 4) {
			await Promise.all(cases.slice(start, start + 4).map(async args => {
				const cli = new RawCliProcess(args);
				cli.child.stdin.end();
				// A malformed value must be refused at start: one still running after 5 s has taken it.
				const timer = setTimeout(() => cli.child.kill('SIGKILL'), 5000);
				const {code} = await cli.exited;
				clearTimeout(timer);
				const {stderr} = cli;
				const lines = stderr.trimEnd().split('\n');
				const ok = code === 2 && lines.length <= 2 && lines[0]!.startsWith('socket-tui: ') && !stderr.includes('unexpected failure')
					&& !/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(stderr);
				if (!ok) {
					failures.push(`${JSON.stringify(args)} → exit ${code}: ${JSON.stringify(stderr)}`);
				}
			}));
		}

		expect(failures).toEqual([]);
	}, 120_000);
});
