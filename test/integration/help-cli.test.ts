import {describe, expect, it} from 'vitest';
import {runCliBytes} from '../helpers/cli.js';

describe('--help and -h after any command', () => {
	it('print that command\'s help, exit 0, and start nothing (no server listens, no client dials)', async () => {
		for (const command of ['serve', 'connect', 'send-udp', 'get', 'relay', 'replay']) {
			for (const flag of ['--help', '-h']) {
				const {code, stdout, stderr} = await runCliBytes([command, flag, '--json']);
				const text = stdout.toString();
				expect(stderr, `${command} ${flag}`).toBe('');
				expect(code, `${command} ${flag}`).toBe(0);
				expect(text, `${command} ${flag}`).toMatch(new RegExp(`^Usage\\n  \\$ socket-tui ${command} `));
				expect(text).not.toMatch(/listening|"type"/);
			}
		}

		const {code, stdout} = await runCliBytes(['connect', '127.0.0.1:9', '--help']);
		expect(code).toBe(0);
		expect(stdout.toString()).toContain('--proxy URL');
		const all = await runCliBytes(['--help']);
		expect(all.code).toBe(0);
		expect(all.stdout.toString()).toContain('$ socket-tui relay UPSTREAM');
	});
});
