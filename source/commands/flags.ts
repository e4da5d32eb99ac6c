/**
 * Every flag, declared once: its meow type, short form, and the commands it applies to. The
 * meow spec, the type of the parsed flags and the "does not apply" check are derived from it.
 */

/** A command as dispatched: `all` is the bare `socket-tui` (server + UDP + client). */
export type Command = 'all' | 'serve' | 'connect' | 'send-udp' | 'get' | 'relay' | 'replay' | 'examples';

type FlagDef = {
	readonly type: 'string' | 'boolean';
	readonly shortFlag?: string;
	readonly isMultiple?: boolean;
	readonly commands: readonly Command[];
};

const server: readonly Command[] = ['all', 'serve'];
/** The listener's flags, which `relay` shares with the servers. */
const listener: readonly Command[] = ['all', 'serve', 'relay'];
const client: readonly Command[] = ['all', 'connect'];
const everyCommand: readonly Command[] = ['all', 'serve', 'connect', 'send-udp', 'get', 'relay', 'replay'];

export const flagSpec = {
	// Numbers arrive as strings so a bad value gets a precise message (config.ts).
	host: {type: 'string', commands: listener},
	port: {type: 'string', commands: listener},
	udpPort: {type: 'string', commands: server},
	// `--no-udp` for the servers; `-u`/`--udp` makes connect a UDP client, as nc's -u.
	udp: {type: 'boolean', shortFlag: 'u', commands: [...server, 'connect']},
	framing: {type: 'string', commands: [...listener, 'connect']},
	eol: {type: 'string', commands: [...server, 'connect']},
	maxClients: {type: 'string', commands: listener},
	maxLine: {type: 'string', commands: [...listener, 'connect']},
	maxBuffer: {type: 'string', commands: server},
	maxBufferTotal: {type: 'string', commands: server},
	json: {type: 'boolean', commands: everyCommand},
	// replay reads a log: what it reads is already one (its --json prints it again).
	log: {type: 'string', commands: everyCommand.filter(command => command !== 'replay')},
	timeout: {type: 'string', commands: [...client, 'get', 'relay', 'replay']},
	to: {type: 'string', commands: ['replay']},
	pace: {type: 'string', commands: ['replay']},
	speed: {type: 'string', commands: ['replay']},
	step: {type: 'boolean', commands: ['replay']},
	run: {type: 'string', commands: ['replay']},
	mock: {type: 'string', commands: server},
	wait: {type: 'string', commands: ['send-udp', 'connect']},
	idleTimeout: {type: 'string', commands: listener},
	allow: {type: 'string', isMultiple: true, commands: listener},
	captureBytes: {type: 'string', commands: ['relay']},
	rewrite: {type: 'string', isMultiple: true, commands: ['relay']},
	maxHeld: {type: 'string', commands: ['relay']},
	greeting: {type: 'boolean', commands: server},
	chat: {type: 'boolean', commands: server},
	/** The old name of --chat (`relay` is now a command: watching a client ↔ server conversation). */
	relay: {type: 'boolean', commands: server},
	reply: {type: 'string', isMultiple: true, commands: server},
	replyFile: {type: 'string', commands: server},
	sendFile: {type: 'string', commands: client},
	interval: {type: 'string', commands: client},
	once: {type: 'boolean', commands: client},
	history: {type: 'boolean', commands: ['all', 'serve', 'connect']},
	escapes: {type: 'boolean', commands: ['all', 'serve', 'connect']},
	explain: {type: 'boolean', commands: ['all', 'serve', 'relay', 'replay']},
	tls: {type: 'boolean', commands: [...server, 'relay']},
	exec: {type: 'string', commands: server},
	shExec: {type: 'string', commands: server},
	unix: {type: 'string', commands: server},
	unixMode: {type: 'string', commands: server},
	// serve/relay --tls: the listener's certificate; connect and get: a client certificate.
	cert: {type: 'string', commands: [...server, 'relay', 'connect', 'get']},
	key: {type: 'string', commands: [...server, 'relay', 'connect', 'get']},
	verbose: {type: 'boolean', shortFlag: 'v', commands: ['connect']},
	transcript: {type: 'boolean', commands: ['connect']},
	shutdown: {type: 'boolean', commands: ['connect']},
	quitAfter: {type: 'string', shortFlag: 'q', commands: ['connect']},
	grace: {type: 'string', commands: ['connect']},
	crlf: {type: 'boolean', shortFlag: 'C', commands: ['connect']},
	portCheck: {type: 'boolean', shortFlag: 'z', commands: ['connect']},
	whole: {type: 'boolean', commands: ['send-udp']},
	output: {type: 'string', shortFlag: 'o', commands: ['get']},
	raw: {type: 'boolean', commands: ['get']},
	location: {type: 'boolean', shortFlag: 'L', commands: ['get']},
	maxRedirects: {type: 'string', commands: ['get']},
	trustServerNames: {type: 'boolean', commands: ['get']},
	locationTrusted: {type: 'boolean', commands: ['get']},
	insecure: {type: 'boolean', commands: ['get', 'relay', 'connect', 'all']},
	proxy: {type: 'string', commands: ['connect', 'all', 'relay', 'get']},
	ca: {type: 'string', commands: ['relay', 'connect', 'all', 'get']},
	servername: {type: 'string', commands: ['relay', 'connect', 'all', 'get']},
	header: {type: 'string', shortFlag: 'H', isMultiple: true, commands: ['get']},
} as const satisfies Record<string, FlagDef>;

export type FlagName = keyof typeof flagSpec;

type ValueOf<D extends FlagDef> = D['type'] extends 'boolean' ? boolean : D extends {readonly isMultiple: true} ? readonly string[] : string;

/** The flags as parsed: only those given on the command line are present. */
export type Flags = {readonly [K in FlagName]?: ValueOf<(typeof flagSpec)[K]>};

/** The spec meow takes (no defaults: an absent flag stays absent, so we know what was typed). */
export function meowFlags(): Record<string, {type: 'string' | 'boolean'; shortFlag?: string; isMultiple?: boolean}> {
	return Object.fromEntries(Object.entries(flagSpec).map(([name, {commands: _, ...definition}]) => [name, definition]));
}

/**
 * Flag habits of nc, ncat and socat users that socket-tui does not share, with what to use
 * instead (keys as typed, without dashes).
 */
const habits: Record<string, string> = {
	ssl: 'TLS: serve --tls to listen, connect tls://HOST:PORT to dial',
	e: 'to run a program per connection: serve --exec \'PROGRAM ARGS\'',
	c: 'to run a shell command per connection: serve --sh-exec \'COMMAND\'',
	l: 'to listen, run: socket-tui serve --port N',
	listen: 'to listen, run: socket-tui serve --port N',
	k: 'socket-tui serve keeps listening and serves many clients by default',
	keepOpen: 'socket-tui serve keeps listening and serves many clients by default',
	w: 'use --timeout MS for the connect timeout',
	N: 'connect already half-closes at the end of stdin (--no-shutdown keeps it open)',
	U: 'Unix sockets are not supported yet (planned as unix:/path)',
	unixsock: 'Unix sockets are not supported yet (planned as unix:/path)',
	x: 'use --proxy socks5://HOST:PORT or --proxy http://HOST:PORT',
	p: 'choosing the source port is not supported',
	t: 'use --grace TIME for how long to keep sending after the peer closes',
	i: 'use --interval MS with --send-file',
	4: 'the address chooses the family: 127.0.0.1 or ::1',
	6: 'the address chooses the family: 127.0.0.1 or ::1',
};

function kebab(name: string): string {
	return name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
}

/**
 * The first flag meow does not know, as typed (`ssl`, `C`), or undefined. `argv` is checked for
 * nc's `-4`/`-6`, which the parser would take for numbers.
 */
export function unknownFlag(typed: Readonly<Record<string, unknown>>, argv: readonly string[] = []): string | undefined {
	const family = argv.find(argument => /^-[46]+$/.test(argument));
	if (family !== undefined) {
		return family.slice(1);
	}

	const shorts = new Set<string>(Object.values(flagSpec).flatMap(definition => ('shortFlag' in definition ? [definition.shortFlag] : [])));
	return Object.keys(typed).find(key => !(key in flagSpec) && !shorts.has(key) && key !== 'help' && key !== 'h' && key !== 'version' && !key.includes('-'));
}

/** One line for an unknown flag, with the nc habit's alternative (for this command) when there is one. */
export function unknownFlagMessage(key: string, command?: string): string {
	const habit = (command === 'serve' || command === undefined) && key === 'p' ? 'to choose the port to listen on: --port N' : (habits[key] ?? (/^[46]+$/.test(key) ? habits['4'] : undefined));
	return `unknown flag ${key.length === 1 || /^[46]+$/.test(key) ? `-${key}` : `--${kebab(key)}`}${habit === undefined ? '' : ` (${habit})`}`;
}

/** The first flag given that does not apply to `command`, or undefined. */
export function inapplicableFlag(command: Command, flags: Flags): FlagName | undefined {
	return (Object.keys(flags) as FlagName[]).find(name => {
		const value = flags[name];
		const given = Array.isArray(value) ? value.length > 0 : value !== undefined;
		return given && flagSpec[name] !== undefined && !(flagSpec[name].commands as readonly Command[]).includes(command);
	});
}

/** A flag as a person typed it: `-z (--port-check)`, `--json`, a negated boolean `--no-shutdown`. */
export function flagLabel(name: FlagName, value?: unknown): string {
	const definition: FlagDef = flagSpec[name];
	const long = value === false && definition.type === 'boolean' ? `--no-${kebab(name)}` : `--${kebab(name)}`;
	return definition.shortFlag === undefined || value === false ? long : `-${definition.shortFlag} (${long})`;
}

/** `-z (--port-check) does not apply to serve (it is for: connect)`. */
export function inapplicableMessage(command: Command, name: FlagName, value?: unknown): string {
	const definition: FlagDef = flagSpec[name];
	const shown = flagLabel(name, value);
	const where = command === 'all' ? 'socket-tui without a command' : command;
	const takers = definition.commands.map(taker => (taker === 'all' ? 'socket-tui' : taker)).join(', ');
	return `${shown} does not apply to ${where} (it is for: ${takers})`;
}
