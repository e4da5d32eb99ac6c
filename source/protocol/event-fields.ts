/**
 * What a log line must hold for its readers (replay, explain, `replay --to`, `--mock`) to use it:
 * the fields they read, by event type, with their JSON types (README, "Events"). A line that
 * lacks one is refused with its file and line, rather than read as `undefined` further on.
 * Types not listed need only `type` and `ts`.
 */
/**
 * A field's JSON type; `endpoint`: an object with a string `address` and a number `port`;
 * `remote`: an object with a string `host` and a number `port`; `side`: "client" or "upstream".
 */
type Kind = 'number' | 'string' | 'object' | 'endpoint' | 'remote' | 'side';

const required: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
	'server.listening': {host: 'string', port: 'number'},
	'udp.listening': {host: 'string', port: 'number'},
	'conn.open': {id: 'number', peer: 'endpoint', local: 'endpoint'},
	'conn.read': {id: 'number', bytes: 'number'},
	'conn.write': {id: 'number', bytes: 'number'},
	'conn.message': {id: 'number', text: 'string'},
	'conn.reply': {id: 'number', kind: 'string', text: 'string'},
	'conn.end': {id: 'number'},
	'conn.close': {id: 'number', reason: 'string', bytesIn: 'number', bytesOut: 'number', messagesIn: 'number', durationMs: 'number'},
	'conn.warning': {id: 'number', kind: 'string', detail: 'string'},
	'client.state': {id: 'number', state: 'string'},
	'client.sent': {id: 'number', bytes: 'number', text: 'string'},
	'client.received': {id: 'number', bytes: 'number', text: 'string'},
	'udp.datagram': {peer: 'endpoint', bytes: 'number', text: 'string'},
	'udp.reply': {peer: 'endpoint', bytes: 'number', text: 'string'},
	'udp.sent': {peer: 'endpoint', bytes: 'number', text: 'string'},
	'relay.listening': {host: 'string', port: 'number', upstream: 'remote'},
	'relay.open': {id: 'number', client: 'endpoint', local: 'endpoint', upstream: 'remote', upstreamPeer: 'endpoint'},
	'relay.data': {id: 'number', from: 'side', bytes: 'number', captured: 'number', text: 'string'},
	'relay.held': {id: 'number', from: 'side', seq: 'number', bytes: 'number', text: 'string'},
	'relay.end': {id: 'number', from: 'side'},
	'relay.close': {id: 'number', reason: 'string', bytesUp: 'number', bytesDown: 'number', durationMs: 'number'},
	// The folded lines of log version 3 (exchange.ts).
	'conn.exchange': {id: 'number', bytes: 'number', text: 'string', reply: 'string'},
	'udp.exchange': {peer: 'endpoint', bytes: 'number', text: 'string', reply: 'string'},
};

const described: Readonly<Record<Kind, string>> = {
	number: 'a number',
	string: 'a string',
	object: 'an object',
	endpoint: 'an address and a port',
	remote: 'a host and a port',
	side: '"client" or "upstream"',
};

function holds(value: unknown, kind: Kind): boolean {
	switch (kind) {
		case 'endpoint':
		case 'remote': {
			const object = value as Record<string, unknown> | null;
			return typeof object === 'object' && object !== null && typeof object[kind === 'endpoint' ? 'address' : 'host'] === 'string' && typeof object['port'] === 'number';
		}

		case 'side': {
			return value === 'client' || value === 'upstream';
		}

		case 'object': {
			return typeof value === 'object' && value !== null;
		}

		default: {
			return typeof value === kind;
		}
	}
}

/**
 * Standard, padded base64 (RFC 4648 §4): whole quanta of the alphabet, `=` padding at the end
 * only. Checked without a repeated group, which V8's regex engine runs by recursion: a field of
 * a few MB (a long line logged with --max-line 8m) overflowed the stack.
 */
function isBase64(text: string): boolean {
	return text.length % 4 === 0 && /^[A-Za-z\d+/]*={0,2}$/.test(text);
}

/** Optional fields that, when present, must be strings (the exact bytes and line endings). */
const optionalStrings = ['base64', 'eol', 'skipped'] as const;

/**
 * What is missing or mistyped in an event line, as a phrase (`text (a string)`), or undefined when
 * it holds what its readers need. `event` has a string `type` (checked before).
 */
export function missingFields(event: Readonly<Record<string, unknown>>): string | undefined {
	const wrong: string[] = [];
	for (const [field, kind] of Object.entries(required[event['type'] as string] ?? {})) {
		if (!holds(event[field], kind)) {
			wrong.push(`${field} (${described[kind]})`);
		}
	}

	for (const field of optionalStrings) {
		if (field in event && typeof event[field] !== 'string') {
			wrong.push(`${field} (a string, when present)`);
		}
	}

	// The exact bytes: standard base64, as the log writes it (Buffer.from would take anything).
	if (typeof event['base64'] === 'string' && !isBase64(event['base64'])) {
		wrong.push('base64 (standard base64, when present)');
	}

	if (wrong.length === 0) {
		return undefined;
	}

	return wrong.length === 1 ? wrong[0] : `${wrong.slice(0, -1).join(', ')} and ${wrong.at(-1)!}`;
}
