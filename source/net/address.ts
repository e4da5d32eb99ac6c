import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';
import type {Endpoint, Family} from '../events.js';

export {formatHostPort} from '../format/host-port.js';
export {AddressError, parseHostPort, parsePort, parseTargetAddress, type Target} from '../protocol/address-grammar.js';

export function familyOf(value: string | number | undefined, address?: string): Family {
	if (value === 6 || value === 'IPv6') {
		return 'IPv6';
	}

	if (value === 4 || value === 'IPv4') {
		return 'IPv4';
	}

	return address !== undefined && isIP(address) === 6 ? 'IPv6' : 'IPv4';
}

export function endpoint(address: string | undefined, port: number | undefined, family: string | number | undefined): Endpoint {
	const resolved = address ?? '?';
	return {address: resolved, port: port ?? 0, family: familyOf(family, resolved)};
}

export type ResolvedHost = {readonly address: string; readonly family: Family};

/** Resolves a host name (or literal) to one address, as a bind or a datagram needs. */
export async function resolveHost(host: string): Promise<ResolvedHost> {
	const literal = isIP(host);
	if (literal !== 0) {
		return {address: host, family: literal === 6 ? 'IPv6' : 'IPv4'};
	}

	const result = await lookup(host);
	return {address: result.address, family: familyOf(result.family)};
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped form: nothing beyond this machine. */
export function isLoopback(address: string): boolean {
	const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
	return plain === '::1' || /^127\.\d+\.\d+\.\d+$/.test(plain);
}
