import {describe, expect, it} from 'vitest';
import {explainBindError, explainConnectError} from '../../source/net/errors.js';

function failure(code: string): NodeJS.ErrnoException {
	return Object.assign(new Error(`${code} from the OS`), {code});
}

describe('explained failures', () => {
	it('tells a privileged port from an ordinary refusal to bind', () => {
		expect(explainBindError(failure('EACCES'), '127.0.0.1', 80, 'TCP')).toEqual({
			code: 'EACCES',
			message: 'permission denied binding TCP 127.0.0.1:80',
			hint: 'ports below 1024 need root; try --port 9999 or --port 0',
		});
		expect(explainBindError(failure('EACCES'), '127.0.0.1', 8080, 'TCP').hint).toBe('this port is not allowed here; try another --port');
	});

	it('names a host that is not ours, with IPv6 in brackets', () => {
		const explained = explainBindError(failure('EADDRNOTAVAIL'), 'fe80::1', 9999, 'UDP');
		expect(explained.message).toBe('fe80::1 is not an address of this machine (UDP [fe80::1]:9999)');
	});

	it('keeps unknown errors readable', () => {
		expect(explainBindError(new Error('odd'), '::1', 1, 'TCP').message).toBe('cannot bind TCP [::1]:1: odd');
		expect(explainConnectError(failure('ETIMEDOUT'), 'example.test', 7).message).toBe('connecting to example.test:7 timed out');
	});
});
