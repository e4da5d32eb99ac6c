import type {Eol, Framing} from './events.js';
import {isLoopback, parsePort} from './net/address.js';
import {checkHostName, parseProxy, unixSocketPath, type ProxySpec} from './protocol/address-grammar.js';
import {logNotes} from './protocol/log-lines.js';
import {logFileText} from './protocol/log-file.js';
import {readRecording, type RecordedConnection} from './protocol/recording.js';
import {splitCommand, type ExecCommand} from './net/exec-bridge.js';
import {parseAllowList, type AllowList} from './net/allow-list.js';
import type {TlsClientOptions} from './net/tls-session.js';
import {createPrivateKey, X509Certificate, type KeyObject} from 'node:crypto';
import {accessSync, constants, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {messageOf, UsageError} from './errors.js';
import {parseReplyRule, readReplyFile, type ReplyRule} from './protocol/reply-rules.js';
import {parseRewriteRule, type RewriteRule} from './protocol/rewrite-rules.js';
import {binaryFraming, framingForms, isFraming} from './protocol/binary-framing.js';

/** Everything the engines need, validated. */
export type Config = {
	readonly host: string;
	readonly port: number;
	/** UDP port; `undefined` means "the TCP port" (resolved once TCP is bound, for --port 0). */
	readonly udpPort: number | undefined;
	readonly udp: boolean;
	readonly framing: Framing;
	readonly eol: Eol;
	/**
	 * The ending of UDP replies: `datagram` (the default) answers with the terminator the datagram
	 * carried (`Tracy\n` → `Hello, Tracy!\n`, `Michael` → `Hello, Michael!`); an explicit --eol wins.
	 */
	readonly udpEol: Eol | 'datagram';
	readonly maxClients: number;
	readonly maxLine: number;
	/** Output bytes buffered for a client that does not read before we pause it. */
	readonly maxBuffer: number;
	/** --max-buffer-total: output all of a server's connections may hold together (bytes). */
	readonly maxBufferTotal: number;
	readonly backlog: number;
	readonly idleFlushMs: number;
	readonly lingerMs: number;
	readonly connectTimeoutMs: number;
	/** Close a server connection silent for this long; 0 = never. */
	readonly idleTimeoutMs: number;
	readonly allow: AllowList | undefined;
	/** The tutorial's greeting protocol (--no-greeting: a silent listener). */
	readonly greeting: boolean;
	/** --chat: a chat room; each message goes to the other clients (ncat's --chat). */
	readonly chat: boolean;
	/** --reply and --reply-file rules, in order. */
	readonly replyRules: readonly ReplyRule[];
	/** relay: payload bytes per connection and direction the events carry (Infinity: all). */
	readonly captureBytes: number;
	/** relay: --rewrite rules, both directions, in order. */
	readonly rewriteRules: readonly RewriteRule[];
	/** relay: bytes a paused direction holds before it stops reading its side. */
	readonly maxHeldBytes: number;
	/** Typed lines and --send-file read escapes (\r \n \xNN…: escapes.ts) into bytes. */
	readonly escapes: boolean;
	/** TLS: accept a certificate that does not verify (--insecure). */
	readonly insecure: boolean;
	/** TLS: the CAs (PEM text of --ca FILE) to verify a peer against, instead of the system's. */
	readonly ca: string | undefined;
	/** The two above, as a TLS client takes them. */
	readonly tlsClient: TlsClientOptions;
	/**
	 * serve --tls: the certificate and key (PEM) of --cert/--key, or `generate` (a self-signed
	 * one for localhost, made at start); undefined: plain TCP.
	 */
	readonly tlsServer: {readonly cert: string; readonly key: string} | 'generate' | undefined;
	/** --mock FILE: the recorded conversations the server answers from. */
	readonly mock: readonly RecordedConnection[] | undefined;
	/** What to say of --mock FILE at start: its last line was cut off, or a newer version wrote it (what it holds is used). */
	readonly mockNotes: readonly string[];
	/** --explain: headless output in the tutorial's terms (s.accept(), conn.recv(1024)…). */
	readonly explain: boolean;
	/** --proxy: the client dials through this SOCKS5 or HTTP CONNECT proxy. */
	readonly proxy: ProxySpec | undefined;
	/** --exec/--sh-exec: the program each connection talks to, instead of the responder. */
	readonly exec: ExecCommand | undefined;
	/** serve --unix: the Unix socket to listen on instead of host and port (`\0name`: abstract). */
	readonly unixPath: string | undefined;
	/** --unix-mode: the socket file's permissions (octal as typed, e.g. 600). */
	readonly unixMode: number | undefined;
	/** connect: lines to send in order (--send-file). */
	readonly sendFile: string | undefined;
	/** connect: fixed pace of --send-file lines; undefined = after each reply. */
	readonly intervalMs: number | undefined;
	/** connect: exit once the script is done, printing the transcript. */
	readonly once: boolean;
	/** Keep the input history between runs (--no-history: don't). */
	readonly history: boolean;
	/** send-udp: how long to wait for each reply (0: do not wait). */
	readonly waitMs: number;
	readonly json: boolean;
	readonly log: string | undefined;
};

export const defaults = {
	host: '127.0.0.1',
	port: 9999,
	framing: 'line',
	eol: 'lf',
	maxClients: 10_000,
	maxLine: 64 * 1024,
	maxBuffer: 1024 * 1024,
	// A laptop's share for a test server: 256 slow readers at --max-buffer each, or many more at less.
	maxBufferTotal: 256 * 1024 * 1024,
	// Deep enough for a burst of thousands of connects while the screen is busy rendering
	// (the kernel caps it at net.core.somaxconn); a full queue strands clients half-open.
	backlog: 4096,
	idleFlushMs: 150,
	/** relay: what a paused direction may hold (then TCP backpressure). */
	maxHeldBytes: 1024 * 1024,
	lingerMs: 2000,
	connectTimeoutMs: 5000,
	waitMs: 1000,
	/** A script's first line waits this long for the server's greeting. */
	greetingWaitMs: 300,
	/** A script's next line waits this long for the reply to the last before it goes anyway. */
	scriptReplyWaitMs: 2000,
	/** `/udp` waits this long for the reply. */
	udpCommandWaitMs: 1000,
	/** connect piped: keep sending stdin this long after the peer closed (socat's -t). */
	graceMs: 500,
	/** connect --once, piped: leave after this long without a byte from the peer… */
	onceQuietMs: 2000,
	/** …or this long without one once every line sent has had a reply line. */
	onceSettledMs: 300,
	/** get: connect and read timeout. */
	getTimeoutMs: 10_000,
	maxRedirects: 5,
} as const;


/** Flags as meow hands them over (strings, so we can say exactly what is wrong). */
export type RawFlags = {
	readonly host?: string;
	readonly port?: string;
	readonly udpPort?: string;
	readonly udp?: boolean;
	readonly framing?: string;
	readonly eol?: string;
	readonly maxClients?: string;
	readonly maxLine?: string;
	readonly maxBuffer?: string;
	readonly maxBufferTotal?: string;
	readonly timeout?: string;
	readonly wait?: string;
	readonly idleTimeout?: string;
	readonly allow?: readonly string[];
	readonly greeting?: boolean;
	readonly chat?: boolean;
	/** The old name of --chat, kept working for a while. */
	readonly relay?: boolean;
	readonly reply?: readonly string[];
	readonly replyFile?: string;
	readonly captureBytes?: string;
	readonly rewrite?: readonly string[];
	readonly maxHeld?: string;
	readonly insecure?: boolean;
	readonly ca?: string;
	readonly servername?: string;
	readonly escapes?: boolean;
	readonly tls?: boolean;
	readonly to?: string;
	readonly pace?: string;
	readonly mock?: string;
	readonly explain?: boolean;
	readonly proxy?: string;
	readonly exec?: string;
	readonly shExec?: string;
	readonly unix?: string;
	readonly unixMode?: string;
	readonly cert?: string;
	readonly key?: string;
	readonly sendFile?: string;
	readonly interval?: string;
	readonly once?: boolean;
	readonly history?: boolean;
	readonly json?: boolean;
	readonly log?: string;
};

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
	if (value === undefined) {
		return fallback;
	}

	if (!(allowed as readonly string[]).includes(value)) {
		throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
	}

	return value as T;
}

/** A whole number within [min, max]; also accepts 64k / 1m suffixes for sizes. */
export function integer(flag: string, value: string | undefined, fallback: number, min: number, max: number, sizes = false): number {
	if (value === undefined) {
		return fallback;
	}

	const match = (sizes ? /^(\d+)([km]?)$/i : /^(\d+)()$/).exec(value.trim());
	if (!match) {
		throw new UsageError(`--${flag} must be a whole number${sizes ? ' (k and m suffixes allowed)' : ''}, got "${value}"`);
	}

	const unit = match[2]!.toLowerCase();
	const number = Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1);
	if (number < min || number > max) {
		throw new UsageError(`--${flag} must be from ${min} to ${max}, got "${value}"`);
	}

	return number;
}

function port(flag: string, value: string | undefined, fallback: number): number {
	if (value === undefined) {
		return fallback;
	}

	return parsePort(value, `--${flag}`);
}

/**
 * A duration in milliseconds: `30` or `0.5` (seconds, as nc's -q and socat's -t take them), `30s`,
 * `500ms`, `5m`; absent = `fallback`.
 */
export function parseDuration(flag: string, value: string | undefined, fallback = 0): number {
	if (value === undefined) {
		return fallback;
	}

	const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
	if (!match) {
		throw new UsageError(`${flag.length === 1 ? '-' : '--'}${flag} takes a duration such as 30, 0.5, 30s, 500ms or 5m, got "${value}"`);
	}

	const unit = match[2] ?? 's';
	return Math.round(Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000));
}

function duration(flag: string, value: string | undefined): number {
	return parseDuration(flag, value);
}

function allowList(ranges: readonly string[] | undefined): AllowList | undefined {
	if (ranges === undefined || ranges.length === 0) {
		return undefined;
	}

	return parseAllowList(ranges);
}

function replyRules(rules: readonly string[] | undefined, file: string | undefined): ReplyRule[] {
	return [...(rules ?? []).map(rule => parseReplyRule(rule)), ...(file === undefined ? [] : readReplyFile(file))];
}

/**
 * --exec/--sh-exec, checked: one of them; bound to loopback (or a Unix socket) unless --allow
 * says who may run it — a program per connection is a shell for whoever reaches the port.
 */
function execCommand(flags: RawFlags, host: string): ExecCommand | undefined {
	if (flags.exec !== undefined && flags.shExec !== undefined) {
		throw new UsageError('--exec and --sh-exec: give one (--exec runs PROGRAM ARGS directly, --sh-exec through /bin/sh)');
	}

	const text = flags.exec ?? flags.shExec;
	if (text === undefined) {
		return undefined;
	}

	const flag = flags.exec === undefined ? '--sh-exec' : '--exec';
	if (text.trim() === '') {
		throw new UsageError(`${flag} needs a program to run, e.g. ${flag} 'cat'`);
	}

	const answerer = flags.chat ? '--chat' : ((flags.reply?.length ?? 0) > 0 || flags.replyFile !== undefined ? '--reply' : undefined);
	if (answerer !== undefined) {
		throw new UsageError(`${answerer} does not apply with ${flag}: the program answers each connection`);
	}

	const exposed = flags.unix === undefined && !isLoopbackHost(host);
	if (exposed && (flags.allow === undefined || flags.allow.length === 0)) {
		throw new UsageError(`${flag} on ${host} would run a program for anyone who reaches the port: bind to loopback (--host 127.0.0.1) or say who may connect with --allow CIDR`);
	}

	if (flags.exec === undefined) {
		return {command: text, argv: ['/bin/sh', '-c', text], shell: true};
	}

	let argv: string[];
	try {
		argv = splitCommand(text);
	} catch (error) {
		throw new UsageError(`--exec: ${messageOf(error)}`);
	}

	if (argv.length > 0 && !onPath(argv[0]!)) {
		throw new UsageError(`--exec: no program "${argv[0]!}" (not a file, and not found on PATH)`);
	}

	return {command: text, argv, shell: false};
}

/** A program that can be run: a path to an executable file, or a name found on PATH. */
function onPath(program: string): boolean {
	const executable = (file: string): boolean => {
		try {
			accessSync(file, constants.X_OK);
			return statSync(file).isFile();
		} catch {
			return false;
		}
	};

	return program.includes('/') ? executable(program) : (process.env['PATH'] ?? '').split(':').some(directory => directory !== '' && executable(join(directory, program)));
}

/** A host that is loopback by name or address (the bind's real address is checked at listen). */
function isLoopbackHost(host: string): boolean {
	return host === 'localhost' || isLoopback(host);
}

function readMock(flags: RawFlags): {mock: readonly RecordedConnection[]; mockNotes: readonly string[]} {
	const file = flags.mock!;
	if (flags.exec !== undefined || flags.shExec !== undefined || flags.chat || (flags.reply?.length ?? 0) > 0 || flags.replyFile !== undefined) {
		throw new UsageError('--mock answers from the recording: --reply, --chat and --exec do not apply with it');
	}

	const recording = readRecording(logFileText(file, `--mock ${file}`), file);
	return {mock: recording.connections, mockNotes: [...logNotes(recording, file, 'answering from the rest', 'answering from what it knows'), ...mockWarnings(recording.connections, file)]};
}

/**
 * Why a recording cannot drive --mock, said at start rather than found by a silent server: it
 * holds no server conversation (no greeting, no answered message), or its messages hold several
 * lines each (a piped client's log: each write of stdin is one message, while the mock, framed by
 * line, hears one line at a time and finds none of them recorded).
 */
function mockWarnings(connections: readonly RecordedConnection[], file: string): string[] {
	const turns = connections.flatMap(connection => connection.turns);
	if (!connections.some(connection => connection.greeting.length > 0) && turns.every(turn => turn.replies.length === 0)) {
		return [`${file} holds no answered message and no greeting: the mock will say nothing (record the server with serve --log, or a client that waits for each reply)`];
	}

	const multiLine = turns.filter(turn => /\n./s.test(turn.sent.toString('latin1').replace(/^[\r\n]+/, '').replace(/\r?\n$/, '')));
	return multiLine.length === 0 ? [] : [`${file}: ${multiLine.length === turns.length ? 'every' : `${multiLine.length} of ${turns.length}`} recorded message${multiLine.length === 1 ? ' holds' : 's hold'} several lines (a piped client's writes): the mock answers one line at a time and will not find ${multiLine.length === 1 ? 'it' : 'them'}; record with serve --log, or connect --send-file`];
}

function explainFlag(flags: RawFlags): boolean {
	if (flags.explain && flags.json) {
		throw new UsageError('--explain and --json: give one (--explain tells the events in the tutorial\'s terms, --json gives them as NDJSON)');
	}

	return flags.explain ?? false;
}

function framingOf(value: string | undefined, eol: string | undefined): Framing {
	if (value === undefined) {
		return defaults.framing;
	}

	if (eol !== undefined && binaryFraming(value)) {
		throw new UsageError(`--eol does not apply with --framing ${value}: what is sent is framed the same way, without a line ending`);
	}

	if (!isFraming(value)) {
		throw new UsageError(`--framing must be one of ${framingForms}, got "${value}"`);
	}

	return (value.toLowerCase().startsWith('len:') ? value.toLowerCase() : value) as Framing;
}

function unixPath(flags: RawFlags): string | undefined {
	if (flags.unix === undefined) {
		if (flags.unixMode !== undefined) {
			throw new UsageError('--unix-mode is for --unix PATH');
		}

		return undefined;
	}

	const path = unixSocketPath(flags.unix.startsWith('unix:') ? flags.unix.slice(5) : flags.unix, '--unix needs a path (/tmp/app.sock) or an abstract name (@name)');

	if (flags.allow !== undefined && flags.allow.length > 0) {
		throw new UsageError('--allow does not apply with --unix: a Unix socket\'s peers have no address (use --unix-mode for who may connect)');
	}

	if (flags.port !== undefined || flags.host !== undefined) {
		throw new UsageError('--unix listens on a path instead of --host/--port: give one or the other');
	}

	return path;
}

function unixMode(value: string): number {
	if (!/^0?[0-7]{3}$/.test(value)) {
		throw new UsageError(`--unix-mode takes octal permissions such as 600 or 660, got "${value}"`);
	}

	return Number.parseInt(value, 8);
}

function tlsServer(flags: RawFlags): Config['tlsServer'] {
	if ((flags.cert === undefined) !== (flags.key === undefined)) {
		throw new UsageError('--cert and --key go together: the certificate and its private key (PEM files)');
	}

	if (flags.cert !== undefined && flags.tls === false) {
		throw new UsageError('--cert and --key are for --tls');
	}

	if (flags.cert !== undefined) {
		const pair = {cert: readPem('cert', flags.cert), key: readPem('key', flags.key!)};
		checkPair(pair, flags.cert, flags.key!);
		return pair;
	}

	return flags.tls ? 'generate' : undefined;
}

/** The certificate and key read, and belonging together: refused at start, naming the files, not at each handshake. */
function checkPair({cert, key}: {cert: string; key: string}, certFile: string, keyFile: string): void {
	let certificate: X509Certificate;
	try {
		certificate = new X509Certificate(cert);
	} catch (error) {
		throw new UsageError(`--cert ${certFile} is not a PEM certificate: ${messageOf(error)}`);
	}

	let privateKey: KeyObject;
	try {
		privateKey = createPrivateKey(key);
	} catch (error) {
		const encrypted = /encrypted|passphrase/i.test(key) || /passphrase/i.test(messageOf(error));
		throw new UsageError(`--key ${keyFile} ${encrypted ? 'is encrypted (a passphrase is not supported: decrypt it, e.g. openssl pkey -in KEY -out KEY.plain)' : `is not a PEM private key: ${messageOf(error)}`}`);
	}

	if (!certificate.checkPrivateKey(privateKey)) {
		throw new UsageError(`--key ${keyFile} is not the private key of --cert ${certFile} (they do not belong together)`);
	}
}

function readPem(flag: string, file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		throw new UsageError(`cannot read --${flag} ${file}: ${messageOf(error)}`);
	}
}

/**
 * How a TLS client checks its peer and who it says it is, from --insecure, --ca and (connect and
 * get, which take no --tls) --cert/--key: a client certificate for servers that ask for one
 * (mutual TLS, as curl's --cert/--key). Files are read, and the pair checked, here, at start.
 */
export function tlsClientOptions(flags: RawFlags): TlsClientOptions {
	const insecure = flags.insecure ?? false;
	const ca = {...(flags.ca === undefined ? {} : {ca: readPem('ca', flags.ca)}), ...(flags.servername === undefined ? {} : {servername: checkHostName(flags.servername, '--servername')})};
	if ((flags.cert === undefined) !== (flags.key === undefined)) {
		throw new UsageError('--cert and --key go together: the certificate and its private key (PEM files)');
	}

	if (flags.tls !== undefined || flags.cert === undefined || flags.key === undefined) {
		return {insecure, ...ca};
	}

	const pair = {cert: readPem('cert', flags.cert), key: readPem('key', flags.key)};
	checkPair(pair, flags.cert, flags.key);
	return {insecure, ...ca, ...pair};
}

export function configFromFlags(flags: RawFlags): Config {
	const host = flags.host?.trim() ?? defaults.host;
	if (host === '') {
		throw new UsageError('--host must not be empty (e.g. 127.0.0.1, ::1, 0.0.0.0, localhost)');
	}

	if (host.startsWith('[') || /^[^:]+:\d+$/.test(host)) {
		throw new UsageError(`--host takes an address without port or brackets (e.g. ::1), got "${host}"; use --port for the port`);
	}

	checkHostName(host, '--host');

	if (flags.log === '') {
		throw new UsageError('--log needs a file name');
	}

	const tlsClient = tlsClientOptions(flags);
	const insecure = tlsClient.insecure;
	return {
		host,
		port: port('port', flags.port, defaults.port),
		udpPort: flags.udpPort === undefined ? undefined : port('udp-port', flags.udpPort, defaults.port),
		// Node has no Unix datagram sockets: with --unix there is no UDP endpoint.
		// --mock stands in for the recorded TCP server alone.
		udp: flags.unix === undefined && flags.mock === undefined ? (flags.udp ?? true) : false,
		framing: framingOf(flags.framing, flags.eol),
		// A length prefix or a delimiter frames what is sent: no line ending.
		eol: binaryFraming(flags.framing ?? 'line') ? 'none' : oneOf('eol', flags.eol, ['lf', 'crlf', 'none'], defaults.eol),
		udpEol: flags.eol === undefined ? 'datagram' : oneOf('eol', flags.eol, ['lf', 'crlf', 'none'], defaults.eol),
		maxClients: integer('max-clients', flags.maxClients, defaults.maxClients, 1, 1_000_000),
		maxLine: integer('max-line', flags.maxLine, defaults.maxLine, 16, 64 * 1024 * 1024, true),
		maxBuffer: integer('max-buffer', flags.maxBuffer, defaults.maxBuffer, 1024, 1024 * 1024 * 1024, true),
		maxBufferTotal: integer('max-buffer-total', flags.maxBufferTotal, defaults.maxBufferTotal, 64 * 1024, 64 * 1024 * 1024 * 1024, true),
		backlog: defaults.backlog,
		idleFlushMs: defaults.idleFlushMs,
		lingerMs: defaults.lingerMs,
		connectTimeoutMs: integer('timeout', flags.timeout, defaults.connectTimeoutMs, 1, 3_600_000),
		idleTimeoutMs: duration('idle-timeout', flags.idleTimeout),
		allow: allowList(flags.allow),
		greeting: flags.greeting ?? true,
		chat: flags.chat ?? flags.relay ?? false,
		replyRules: replyRules(flags.reply, flags.replyFile),
		captureBytes: flags.captureBytes === undefined ? Number.POSITIVE_INFINITY : integer('capture-bytes', flags.captureBytes, 0, 0, Number.MAX_SAFE_INTEGER, true),
		rewriteRules: (flags.rewrite ?? []).map(rule => parseRewriteRule(rule)),
		maxHeldBytes: integer('max-held', flags.maxHeld, defaults.maxHeldBytes, 1024, 1024 * 1024 * 1024, true),
		insecure,
		escapes: flags.escapes ?? false,
		ca: tlsClient.ca,
		tlsClient,
		tlsServer: tlsServer(flags),
		exec: execCommand(flags, host),
		proxy: flags.proxy === undefined ? undefined : parseProxy(flags.proxy),
		explain: explainFlag(flags),
		...(flags.mock === undefined ? {mock: undefined, mockNotes: []} : readMock(flags)),
		unixPath: unixPath(flags),
		unixMode: flags.unixMode === undefined ? undefined : unixMode(flags.unixMode),
		sendFile: flags.sendFile,
		intervalMs: flags.interval === undefined ? undefined : integer('interval', flags.interval, 0, 0, 3_600_000),
		once: flags.once ?? false,
		history: flags.history ?? true,
		waitMs: integer('wait', flags.wait, defaults.waitMs, 0, 3_600_000),
		json: flags.json ?? false,
		log: flags.log,
	};
}
