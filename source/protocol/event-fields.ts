/**
 * What a log line must hold for its readers (replay, explain, `replay --to`, `--mock`) to use it:
 * the fields they read, by event type, with their JSON types (README, "Events"). A line that
 * lacks one is refused with its file and line, rather than read as `undefined` further on.
 * Types not listed need only `type` and `ts`.
 */
type Kind = 'number' | 'string' | 'object';

const required: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
	'server.listening': {host: 'string', port: 'number'},
	'conn.open': {id: 'number', peer: 'object', local: 'object'},
	'conn.read': {id: 'number', bytes: 'number'},
	'conn.write': {id: 'number', bytes: 'number'},
	'conn.message': {id: 'number', text: 'string'},
	'conn.reply': {id: 'number', kind: 'string', text: 'string'},
	'conn.end': {id: 'number'},
	'conn.close': {id: 'number', reason: 'string'},
	'conn.warning': {id: 'number', kind: 'string', detail: 'string'},
	'client.state': {id: 'number', state: 'string'},
	'client.sent': {id: 'number', bytes: 'number', text: 'string'},
	'client.received': {id: 'number', bytes: 'number', text: 'string'},
	'udp.datagram': {peer: 'object', bytes: 'number', text: 'string'},
	'udp.reply': {peer: 'object', bytes: 'number', text: 'string'},
	'udp.sent': {peer: 'object', bytes: 'number', text: 'string'},
	'relay.open': {id: 'number'},
	'relay.data': {id: 'number', from: 'string', bytes: 'number', captured: 'number', text: 'string'},
	'relay.held': {id: 'number', from: 'string', seq: 'number', bytes: 'number', text: 'string'},
	'relay.end': {id: 'number', from: 'string'},
	'relay.close': {id: 'number'},
};

/** Optional fields that, when present, must be strings (the exact bytes and line endings). */
const optionalStrings = ['base64', 'eol', 'skipped'] as const;

/**
 * What is missing or mistyped in an event line, as a phrase (`text (a string)`), or undefined when
 * it holds what its readers need. `event` has a string `type` (checked before).
 */
export function missingFields(event: Readonly<Record<string, unknown>>): string | undefined {
	const wrong: string[] = [];
	for (const [field, kind] of Object.entries(required[event['type'] as string] ?? {})) {
		const value = event[field];
		if (kind === 'object' ? typeof value !== 'object' || value === null : typeof value !== kind) {
			wrong.push(`${field} (${kind === 'object' ? 'an object' : `a ${kind}`})`);
		}
	}

	for (const field of optionalStrings) {
		if (field in event && typeof event[field] !== 'string') {
			wrong.push(`${field} (a string, when present)`);
		}
	}

	if (wrong.length === 0) {
		return undefined;
	}

	return wrong.length === 1 ? wrong[0] : `${wrong.slice(0, -1).join(', ')} and ${wrong.at(-1)!}`;
}
