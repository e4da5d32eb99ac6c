import {UsageError} from '../errors.js';
import {BlockList, isIP} from 'node:net';

/** `--allow CIDR` (as ncat's): only peers inside one of the ranges are served. */
export type AllowList = {
	readonly ranges: readonly string[];
	readonly allows: (address: string) => boolean;
};

/** Parses CIDR ranges or single addresses; throws with a readable message on a bad one. */
export function parseAllowList(ranges: readonly string[]): AllowList {
	const list = new BlockList();
	for (const range of ranges) {
		const parts = range.split('/');
		if (parts.length > 2) {
			throw new UsageError(`--allow takes an address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1/128), got "${range}"`);
		}

		let [address = '', prefix] = parts;
		// A rule written IPv4-mapped (::ffff:10.0.0.0/104) is the IPv4 rule it stands for, since
		// mapped peers are checked by their IPv4 address.
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
		if (mapped) {
			address = mapped[1]!;
			prefix = prefix === undefined ? undefined : String(Number(prefix) - 96);
		}

		const version = isIP(address);
		if (version === 0) {
			throw new UsageError(`--allow takes an address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1/128), got "${range}"`);
		}

		const type = version === 6 ? 'ipv6' : 'ipv4';
		if (prefix === undefined) {
			list.addAddress(address, type);
			continue;
		}

		const bits = Number(prefix);
		const max = version === 6 ? 128 : 32;
		if (!/^\d+$/.test(prefix) || bits > max) {
			throw new UsageError(`--allow: the prefix of "${range}" must be from 0 to ${max}`);
		}

		list.addSubnet(address, bits, type);
	}

	return {
		ranges,
		allows(address) {
			// A dual-stack listener sees IPv4 peers as ::ffff:a.b.c.d.
			const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
			return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
		},
	};
}
