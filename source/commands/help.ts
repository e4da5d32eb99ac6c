import {defaults} from '../config.js';
import {flagSpec, type Command, type FlagName} from './flags.js';

type Section = 'Server options' | 'Replies' | 'Screen' | 'Output' | 'Client options' | 'connect without a terminal (nc): bytes in and out unchanged' | 'relay options' | 'get options';

/**
 * One line (or more) of --help for a flag: how it is written, and what it does; `for`, the
 * commands this entry is about when the flag's two entries are about different ones.
 */
type Entry = {readonly section: Section; readonly label: string; readonly text: string; readonly for?: readonly Command[]};

/**
 * The help of every flag, keyed by the flag table (flags.ts): a flag without its help here is a
 * type error, so the two cannot drift apart. A flag may appear in two sections (-u/--no-udp).
 */
const flagHelp: Record<FlagName, Entry | readonly Entry[]> = {
	host: {section: 'Server options', label: '--host ADDRESS', text: `address to bind (default ${defaults.host}; ::1, 0.0.0.0, localhost…)`},
	port: {section: 'Server options', label: '--port N', text: `TCP port (default ${defaults.port}; 0 = any free port)`},
	udpPort: {section: 'Server options', label: '--udp-port N', text: 'UDP port (default: the TCP port)'},
	udp: [
		{section: 'Server options', label: '--no-udp', text: 'no UDP endpoint', for: ['all', 'serve']},
		{section: 'connect without a terminal (nc): bytes in and out unchanged', label: '-u, --udp', text: 'UDP: each stdin line (its newline included) is one datagram', for: ['connect']},
	],
	framing: {section: 'Server options', label: '--framing line|chunk|len:u16be|delim:HEX', text: `line: a message ends at \\n, a tail after ${defaults.idleFlushMs} ms of silence (default);\nchunk: one read is one message, as the tutorial's recv(1024); len:u8|u16be|u16le|\nu32be|u32le: a length prefix; delim:HEX: any delimiter (replies framed the same)`},
	eol: {section: 'Server options', label: '--eol lf|crlf|none', text: `line ending of what we send (default ${defaults.eol}; UDP replies end as their datagram did)`},
	maxClients: {section: 'Server options', label: '--max-clients N', text: `clients served at once; more are told "server full" (default ${defaults.maxClients})`},
	maxLine: {section: 'Server options', label: '--max-line BYTES', text: 'longest line kept; longer ones arrive in pieces (default 64k)'},
	maxBuffer: {section: 'Server options', label: '--max-buffer BYTES', text: 'output queued for a client that does not read before it is paused (default 1m)'},
	maxBufferTotal: {section: 'Server options', label: '--max-buffer-total BYTES', text: 'output all clients that do not read may hold together; over it each of them\nis paused too, while clients that read go on (default 256m)'},
	idleTimeout: {section: 'Server options', label: '--idle-timeout TIME', text: 'close a connection silent for TIME (30, 30s, 500ms, 5m; default never)'},
	allow: {section: 'Server options', label: '--allow CIDR', text: 'serve only peers in this range (repeatable; e.g. 127.0.0.1, 10.0.0.0/8)'},
	captureBytes: {section: 'relay options', label: '--capture-bytes BYTES', text: 'payload bytes per connection and direction the log keeps (counts stay exact;\ndefault: all). --host, --port, --allow, --max-clients, --idle-timeout as serve;\n--timeout MS for the upstream\'s connect'},
	rewrite: {section: 'relay options', label: '--rewrite \'up:REGEX=>TEMPLATE\'', text: 'change messages as they pass: up: client → upstream, down: the other way\n(repeatable; every match replaced, as sed s///g; --reply\'s template syntax);\nthe transcript and log mark them, the log keeps the original'},
	maxHeld: {section: 'relay options', label: '--max-held BYTES', text: 'what a paused direction holds before the relay stops reading that side\n(TCP backpressure; default 1m). --framing and --max-line cut what is held'},
	reply: {section: 'Replies', label: '--reply \'REGEX=>TEMPLATE\'', text: 'answer matching messages (repeatable, first match wins;\n$& the match, $1… groups, {peer} the sender); others get Hello, M!\nREGEX is RE2 syntax, matched in linear time (no backreferences/lookaround)'},
	replyFile: {section: 'Replies', label: '--reply-file FILE', text: 'one REGEX=>TEMPLATE rule per line (# comments)'},
	greeting: {section: 'Replies', label: '--no-greeting', text: 'no Welcome!/Hello/exit: a silent listener (rules still answer)'},
	chat: {section: 'Replies', label: '--chat', text: 'a chat room: each message goes to every other client, tagged [peer] (ncat --chat)'},
	relay: {section: 'Replies', label: '--relay', text: 'the old name of --chat'},
	tls: {section: 'Server options', label: '--tls', text: 'speak TLS on the TCP port (serve; the UDP endpoint stays plain) or to relay\'s clients;\nwithout --cert/--key, a self-signed certificate for localhost is made at start'},
	exec: {section: 'Server options', label: '--exec \'PROGRAM ARGS\'', text: 'each connection runs PROGRAM (no shell): the peer\'s bytes are its stdin, its stdout\ngoes back, its stderr to the log (ncat -e); loopback or --allow only'},
	shExec: {section: 'Server options', label: '--sh-exec \'COMMAND\'', text: 'the same through /bin/sh -c (ncat -c)'},
	unix: {section: 'Server options', label: '--unix PATH', text: 'listen on a Unix socket instead of TCP (@name: Linux abstract; a stale file\nof a dead server is replaced, a live one refused; removed on exit; no UDP)'},
	unixMode: {section: 'Server options', label: '--unix-mode MODE', text: 'the socket file\'s permissions, octal (e.g. 600: you alone)'},
	cert: [
		{section: 'Server options', label: '--cert FILE --key FILE', text: 'the certificate and private key (PEM) for --tls', for: ['all', 'serve', 'relay']},
		{section: 'Client options', label: '--cert FILE --key FILE', text: 'tls:// and https://: a client certificate and its key (PEM), for a server\nthat asks for one (mutual TLS, as curl --cert/--key)', for: ['connect', 'get']},
	],
	key: [],
	escapes: {section: 'Screen', label: '--escapes', text: 'typed lines and --send-file read \\r \\n \\t \\0 \\e \\\\ \\xNN \\u{…} as bytes (/escapes on|off;\n/hex 00 01 ff sends bytes as they are)'},
	history: {section: 'Screen', label: '--no-history', text: 'do not keep the input history (kept in $XDG_STATE_HOME/socket-tui/history)'},
	pace: {section: 'Output', label: '--pace replies|recorded', text: 'replay: each message once the reply before has come (default), or at its recorded\nmoment, connections overlapping as they did'},
	mock: {section: 'Replies', label: '--mock FILE', text: 'answer as a recorded server did (a --log): its greeting, and each message\'s recorded\nreply (in order; the last repeats, marked on its row and in the log; an\nunrecorded message gets none); a log that cannot drive it is said at start'},
	to: {section: 'Output', label: '--to HOST:PORT', text: 'replay FILE: the server to send a recorded conversation to (exit 1 when a reply differs)'},
	step: {section: 'Output', label: '--step', text: 'replay --to: send each recorded message when you press Enter (q and Enter stops)'},
	speed: {section: 'Output', label: '--speed N', text: 'replay FILE on the screen: N times as fast as recorded (default 1; + and - change it)'},
	run: {section: 'Output', label: '--run N', text: 'replay FILE: which run of a log appended to run after run (default: the last; with --to, all)'},
	explain: {section: 'Output', label: '--explain', text: 'headless: each step in the tutorial\'s terms — s.listen(BACKLOG), conn, addr = s.accept(),\nconn.recv(1024) -> 8 bytes, conn.sendall(b\'Hello, M!\\n\'), recv() -> b\'\' (the FIN), recvfrom/sendto'},
	json: {section: 'Output', label: '--json', text: 'headless: one NDJSON event per line on stdout (after a versioned header line)'},
	log: {section: 'Output', label: '--log FILE', text: 'append every event as NDJSON to FILE (every command but replay; created readable\nby you alone)'},
	timeout: [
		{section: 'Client options', label: '--timeout MS', text: `connect timeout (default ${defaults.connectTimeoutMs})`, for: ['all', 'connect', 'relay', 'replay']},
		{section: 'get options', label: '--timeout MS', text: `connect and read timeout (default ${defaults.getTimeoutMs} for get)`, for: ['get']},
	],
	sendFile: {section: 'Client options', label: '--send-file FILE', text: 'connect: send the file\'s lines in order, each after the previous reply'},
	interval: {section: 'Client options', label: '--interval MS', text: '… or one every MS milliseconds'},
	once: {section: 'Client options', label: '--once', text: '… then disconnect and exit, having printed the transcript; piped:\nleave once stdin has ended and every message has its reply'},
	verbose: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '-v, --verbose', text: 'the transcript (times, round trips, summary) on stderr'},
	transcript: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '--transcript', text: 'the transcript on stdout instead of the received bytes'},
	shutdown: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '--no-shutdown', text: 'do not half-close when stdin ends (default: half-close, as ncat)'},
	quitAfter: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '-q SECS', text: 'quit SECS after stdin ends (as Debian\'s nc; default: when the peer closes)'},
	grace: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '--grace TIME', text: `after the peer closes, keep sending stdin this long (default ${defaults.graceMs / 1000} s, as socat -t)`},
	crlf: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '-C, --crlf', text: 'send each LF of stdin as CRLF'},
	portCheck: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '-z, --port-check', text: 'only check whether the port (or range LOW-HIGH) accepts a connection'},
	wait: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '--wait MS', text: `UDP: wait for late replies after stdin ends; send-udp: for each reply (default ${defaults.waitMs})`},
	whole: {section: 'connect without a terminal (nc): bytes in and out unchanged', label: '--whole', text: 'send-udp: all of stdin as one datagram (default: one per line)'},
	output: {section: 'get options', label: '-o FILE', text: 'save the body to FILE, replacing it (a device, FIFO or link is written into);\ndefault: the typed URL\'s last segment, HOST-PATH.html for a page, never\nan existing file (NAME.1, NAME.2…); - = stdout'},
	trustServerNames: {section: 'get options', label: '--trust-server-names', text: 'name the file after where a redirect led (made safe; never hidden)'},
	raw: {section: 'get options', label: '--raw', text: 'save every byte after the head, undecoded, as the tutorial does'},
	location: {section: 'get options', label: '-L', text: `follow redirects (at most --max-redirects, default ${defaults.maxRedirects})`},
	maxRedirects: {section: 'get options', label: '--max-redirects N', text: 'how many redirects -L follows'},
	locationTrusted: {section: 'get options', label: '--location-trusted', text: '-L sends -H Authorization and Cookie to other hosts too (default: dropped, as curl)'},
	header: {section: 'get options', label: '-H \'Name: value\'', text: 'an extra request header (repeatable)'},
	insecure: {section: 'Client options', label: '--insecure', text: 'tls:// and https://: accept a self-signed or otherwise invalid certificate'},
	proxy: {section: 'Client options', label: '--proxy URL', text: 'connect, relay\'s upstream, get: through socks5://[USER:PASS@]HOST:PORT or\nhttp://[USER:PASS@]HOST:PORT (HTTP CONNECT), as ncat --proxy'},
	servername: {section: 'Client options', label: '--servername NAME', text: 'tls:// and https://: the name sent as SNI and checked in the certificate (default:\nthe host; no SNI for an IP), as openssl s_client -servername'},
	ca: {section: 'Client options', label: '--ca FILE', text: 'tls:// and https:// (connect, relay\'s upstream, get): verify the certificate\nagainst these CAs (PEM) instead of the system\'s'},
};

const sections: readonly Section[] = ['Server options', 'Replies', 'Screen', 'Output', 'Client options', 'connect without a terminal (nc): bytes in and out unchanged', 'relay options', 'get options'];

/** Lines a section ends with, besides its flags. */
const sectionNotes: Partial<Record<Section, string>> = {
	Screen: 'Keys: Tab pane · ↑↓ select/history · Enter open/send · Esc back · b broadcast · k kick · x hex · PgUp/PgDn · ? help · q quit',
};

const column = 21;

function entryLines({label, text}: Entry): string[] {
	const [first = '', ...rest] = text.split('\n');
	const head = label.length < column ? `${label.padEnd(column)}${first}` : `${label}  ${first}`;
	return [head, ...rest.map(line => `${' '.repeat(column)}${line}`)];
}

/** The help entries that apply to `command` (all of them without one), each once. */
function entriesFor(command: Command | undefined): Entry[] {
	return (Object.entries(flagHelp) as Array<[FlagName, Entry | readonly Entry[]]>).flatMap(([name, entry]) => {
		const entries: readonly Entry[] = Array.isArray(entry) ? entry : [entry as Entry];
		return command === undefined ? entries : entries.filter(one => (one.for ?? (flagSpec[name].commands as readonly Command[])).includes(command));
	});
}

function optionSections(command?: Command): string {
	const entries = entriesFor(command);
	return sections.flatMap(section => {
		const lines = entries.filter(entry => entry.section === section).flatMap(entry => entryLines(entry));
		const note = command === undefined || command === 'all' || command === 'serve' || command === 'connect' || section !== 'Screen' ? sectionNotes[section] : undefined;
		return lines.length === 0 ? [] : [[`\t${section}`, ...[...lines, ...(note ? [note] : [])].map(line => `\t  ${line}`)].join('\n')];
	}).join('\n\n');
}

/** The usage lines, by the command they show (`all`: socket-tui alone). */
const usage: ReadonlyArray<{readonly command: Command; readonly lines: string}> = [
	{command: 'all', lines: '$ socket-tui                      server + UDP + a client connected to it, full screen'},
	{command: 'serve', lines: '$ socket-tui serve                server + UDP (full screen; headless with --json or no TTY)'},
	{command: 'connect', lines: `$ socket-tui connect HOST:PORT    the interactive client, to any TCP server (HOST PORT works too);
	                                    piped, it is nc: stdin's bytes out, the peer's bytes to stdout
	  $ socket-tui connect -z HOST 20-30   which ports accept a connection (like nc -z)
	  $ socket-tui connect -u HOST:PORT    a UDP client like nc -u: a datagram per stdin line`},
	{command: 'send-udp', lines: '$ socket-tui send-udp HOST:PORT [MESSAGE…]  a datagram per message (or per stdin line), print each reply'},
	{command: 'relay', lines: `$ socket-tui relay UPSTREAM       listen (--port) and pass each client's bytes to UPSTREAM and back
	                                    (HOST:PORT, tls://, udp://, unix:): a screen to watch, pause, edit
	                                    and inject; without one, every read logged both ways (like socat -v)`},
	{command: 'replay', lines: `$ socket-tui replay FILE          a recorded run (a --log) on the screen again, as it happened:
	                                    pause, step, seek; piped, its events as text (--explain: as calls)
	  $ socket-tui replay FILE --to HOST:PORT  send a recorded conversation (a --log) to a server again
	                                    and report where its replies differ (exit 1: for CI)`},
	{command: 'get', lines: '$ socket-tui get URL              the tutorial\'s raw HTTP GET: head to stderr, body to a file'},
	{command: 'examples', lines: '$ socket-tui examples [DIR]       copy the tutorial\'s programs (Python 3) into DIR (./socket-tui-examples)'},
];

const addresses = `Addresses: HOST:PORT, tcp://HOST:PORT, udp://HOST:PORT, tls://HOST:PORT, unix:/PATH, unix:@NAME
	(Linux abstract); IPv6 in brackets: [::1]:9999. Which command takes which: its --help.`;

const exitCodes = `Exit codes: 0 done (also when our output's reader goes away), 1 a socket failure
	(port in use, refused…), 2 bad usage.`;

export const helpText = `
	Usage
${usage.map(({lines}) => `\t  ${lines}`).join('\n')}

${optionSections()}

	${addresses}
	${exitCodes}

	Examples
	  $ socket-tui serve --json --port 0
	  $ printf 'Michael\\nexit\\n' | nc 127.0.0.1 9999
	  $ printf 'GET / HTTP/1.0\\r\\n\\r\\n' | socket-tui connect 127.0.0.1 8000
	  $ socket-tui send-udp 127.0.0.1:9999 Michael Tracy Sarah
`;

/**
 * `socket-tui COMMAND --help` (or -h): that command's usage and only the flags it takes, as git
 * and npm give a command's help. Not indented (meow's helpText is, and meow strips it).
 */
export function commandHelp(command: Command): string {
	const lines = usage.find(entry => entry.command === command)!.lines;
	const text = `
	Usage
	  ${lines}

${optionSections(command)}

	${addresses}
	${exitCodes}
	The other commands: socket-tui --help.
`;
	// Strip the one tab of indentation every line has, as meow does with helpText.
	return `${text.split('\n').map(line => line.replace(/^\t/, '')).join('\n').trim()}\n`;
}
