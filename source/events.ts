/**
 * The event catalogue: everything the engines publish on the bus.
 *
 * Every event is a plain, JSON-serialisable object with a `type` discriminant and a `ts`
 * (milliseconds since the epoch). The NDJSON log is exactly this stream, one event a line.
 * Payloads carry `text` (UTF-8) and, only when `text` is not the exact bytes, `base64`.
 */

export type Family = 'IPv4' | 'IPv6';

/** One end of a socket. */
export type Endpoint = {
	readonly address: string;
	readonly port: number;
	readonly family: Family;
};

/** Bytes as text, plus the exact bytes when the text is lossy. */
export type Payload = {
	readonly text: string;
	readonly base64?: string;
};

/** How a stream is cut into messages: lines, reads, a length prefix (`len:u16be`…) or a delimiter (`delim:HEX`). */
export type Framing = 'line' | 'chunk' | `len:${'u8' | 'u16be' | 'u16le' | 'u32be' | 'u32le'}` | `delim:${string}`;
export type Eol = 'lf' | 'crlf' | 'none';

export type CloseReason =
	| 'exit' // the peer sent `exit`
	| 'eof' // the peer closed its side
	| 'reset' // ECONNRESET / EPIPE
	| 'kicked' // the operator closed it
	| 'limit' // over --max-clients
	| 'shutdown' // we are stopping
	| 'idle' // silent for longer than --idle-timeout
	| 'denied' // the peer is outside --allow
	| 'tls-error' // serve --tls: the client's TLS handshake failed (the warning says why)
	| 'program-exit' // --exec: the connection's program exited (conn.exit says how)
	| 'error'; // any other socket error

export type WarningKind = 'line-too-long' | 'slow-reader' | 'resumed' | 'server-full' | 'idle' | 'denied' | 'tls-failed' | 'mock-repeat';

/** welcome/reply: the protocol; notice: e.g. server full; operator: typed by the person running the server; chat: another client's message (--chat). */
export type ReplyKind = 'welcome' | 'reply' | 'notice' | 'operator' | 'chat' | 'program';

export type ClientState = 'connecting' | 'connected' | 'closed' | 'refused' | 'reset' | 'timeout' | 'error';

type Event<T extends string, F> = {readonly type: T; readonly ts: number} & F;

export type ServerListening = Event<
	'server.listening',
	{
		readonly host: string;
		readonly port: number;
		readonly family: Family;
		readonly backlog: number;
		/** False when the bind reaches beyond this machine (0.0.0.0, a LAN address…). */
		readonly loopback: boolean;
		readonly framing: Framing;
		readonly eol: Eol;
		readonly maxClients: number;
		readonly maxLine: number;
		/** --unix: the socket's path (`host` is then `unix:PATH`, `port` 0). */
		readonly path?: string;
		/** --unix: a stale socket file of a dead server was there and was replaced. */
		readonly replacedStale?: boolean;
	}
>;

/** A failure with a one-line explanation and what to try. */
type Failure = {readonly code: string; readonly message: string; readonly hint: string};

export type ServerError = Event<'server.error', {readonly host: string; readonly port: number} & Failure>;
/**
 * serve --tls: the certificate clients will see — `generated` when it was made at start — with
 * its SHA-256 fingerprint, for `openssl s_client` users to check.
 */
export type ServerTls = Event<'server.tls', {readonly subject: string; readonly validTo: string; readonly fingerprint256: string; readonly generated: boolean}>;
/** --exec/--sh-exec: every connection runs this program (a warning: it is a shell for whoever connects). */
export type ServerExec = Event<'server.exec', {readonly command: string; readonly shell: boolean; readonly loopback: boolean}>;
/** --explain: the kernel dropped connections because a listen backlog was full (ListenOverflows, any listener on this machine). */
export type KernelOverflow = Event<'kernel.overflow', {readonly dropped: number; readonly total: number}>;
/** --explain: a closed connection's socket is in TIME_WAIT (seen in /proc/net/tcp). */
export type KernelTimeWait = Event<'kernel.time-wait', {readonly id: number; readonly localPort: number; readonly peerPort: number}>;
/** --explain off Linux: what the kernel did cannot be seen here. */
export type KernelUnseen = Event<'kernel.unseen', {readonly reason: string}>;
export type ServerClosed = Event<'server.closed', {readonly host: string; readonly port: number}>;

/** A connection accepted; `tls`: what its TLS handshake agreed (serve --tls). */
export type ConnOpen = Event<'conn.open', {readonly id: number; readonly peer: Endpoint; readonly local: Endpoint; readonly tls?: {readonly protocol: string; readonly cipher: string}}>;
/** Bytes received from the peer (one `recv`). */
export type ConnRead = Event<'conn.read', {readonly id: number; readonly bytes: number}>;
/** Bytes handed to the socket for the peer (one `send`). */
export type ConnWrite = Event<'conn.write', {readonly id: number; readonly bytes: number}>;
/**
 * How a framed message sat on the wire, besides its payload: `eol` is the exact line ending that
 * was cut off when it was not `\n` (`"\r\n"`, `"\r"`, or `""` for none: a tail, a piece);
 * `skipped` the empty lines before it (exact bytes), which are not messages. With these, the
 * bytes a peer sent are the concatenation of `skipped + payload + (eol ?? "\n")` over its
 * messages (then the `skipped` of its end): the log carries the wire bytes at no cost for the
 * common line.
 */
export type Framed = {readonly eol?: string; readonly skipped?: string};

/** A framed message. `partial` marks a piece of a line longer than --max-line. */
export type ConnMessage = Event<'conn.message', {readonly id: number; readonly partial?: boolean} & Payload & Framed>;
/** What we sent: the welcome, a reply, or a notice such as "server full". */
export type ConnReply = Event<'conn.reply', {readonly id: number; readonly kind: ReplyKind} & Payload>;
/** The peer half-closed (EOF); `skipped`: empty lines after its last message, as exact bytes. */
export type ConnEnd = Event<'conn.end', {readonly id: number; readonly skipped?: string}>;
/** --exec/--sh-exec: the program started for a connection. */
export type ConnExec = Event<'conn.exec', {readonly id: number; readonly pid: number; readonly command: string; readonly shell: boolean}>;
/** The connection's program ended: its exit code, or the signal that ended it (or why it could not start). */
export type ConnExit = Event<'conn.exit', {readonly id: number; readonly code: number | null; readonly signal: string | null; readonly error?: string}>;
/** What the connection's program wrote on stderr (to the log, never to the peer). */
export type ConnStderr = Event<'conn.stderr', {readonly id: number; readonly bytes: number} & Payload>;
export type ConnClose = Event<
	'conn.close',
	{
		readonly id: number;
		readonly reason: CloseReason;
		readonly bytesIn: number;
		readonly bytesOut: number;
		readonly messagesIn: number;
		readonly durationMs: number;
		readonly error?: string;
	}
>;
export type ConnWarning = Event<'conn.warning', {readonly id: number; readonly kind: WarningKind; readonly detail: string}>;

/**
 * The remote a client dials, as the user wrote it: where to connect; `tls`: speak TLS there (tls://HOST:PORT); `path`: a Unix socket instead of
 * host and port (unix:/PATH; an abstract name starts with a NUL byte).
 */
export type Remote = {readonly host: string; readonly port: number; readonly tls?: true; readonly path?: string};

export type ClientStateChange = Event<
	'client.state',
	{
		readonly id: number;
		readonly state: ClientState;
		readonly remote: Remote;
		/** Human-readable cause for closed/refused/reset/timeout/error. */
		readonly reason?: string;
		readonly local?: Endpoint;
		readonly peer?: Endpoint;
		/** Milliseconds from connect() to connected (the TCP handshake; TLS's is in `tls`). */
		readonly connectMs?: number;
		/** tls://: the session (version, cipher, handshake time, the peer certificate). */
		readonly tls?: TlsSummary;
		/** On closing states after a connection: its totals, like `curl -w`. */
		readonly summary?: ClientSummary;
	}
>;

export type ClientSummary = {
	readonly connectMs: number;
	readonly durationMs: number;
	readonly bytesIn: number;
	readonly bytesOut: number;
	readonly messagesSent: number;
	readonly messagesReceived: number;
	/** Bytes received per second over the connection's life. */
	readonly bytesInPerSec: number;
};
/** A half-close: `peer` sent its FIN (recv() returned b''), or `us` shut down writing. */
export type ClientEnd = Event<'client.end', {readonly id: number; readonly by: 'peer' | 'us'; readonly skipped?: string}>;
/** What the client sent: the exact bytes, its line ending included. */
export type ClientSent = Event<'client.sent', {readonly id: number; readonly bytes: number} & Payload>;
/** `/repeat`: how many of `total` lines went; `done` at the end (`stopped`: before all went). */
export type ClientRepeat = Event<'client.repeat', {readonly id: number; readonly sent: number; readonly total: number; readonly done: boolean; readonly stopped?: true}>;
/** `rttMs`: time since the oldest message sent and not yet answered (request/reply pairs). */
export type ClientReceived = Event<'client.received', {readonly id: number; readonly bytes: number; readonly rttMs?: number} & Payload & Framed>;

/** Which side of a relayed connection bytes came from. */
export type RelaySide = 'client' | 'upstream';

export type RelayCloseReason =
	| 'closed' // both sides closed
	| 'refused' // the upstream refused the connection
	| 'timeout' // the upstream did not answer
	| 'unresolved' // the upstream's name did not resolve
	| 'upstream-error'
	| 'tls-error' // the TLS handshake with the upstream failed (its certificate, or not TLS at all)
	| 'client-reset' // the client reset; passed on to the upstream as a reset
	| 'upstream-reset' // the upstream reset; passed on to the client
	| 'error'
	| 'idle' // silent both ways for --idle-timeout
	| 'shutdown' // we are stopping
	| 'kicked' // the operator closed it
	| 'limit' // over --max-clients
	| 'denied'; // the client is outside --allow

/** `relay`: listening, and where each client's connection goes. */
export type RelayListening = Event<'relay.listening', {readonly host: string; readonly port: number; readonly family: Family; readonly loopback: boolean; readonly upstream: Remote; readonly transport?: 'udp' | 'tls'; readonly framing?: Framing}>;
/**
 * A client is connected to the upstream through us: both endpoints and the upstream's connect
 * time. `transport: 'udp'`: a client address seen for the first time, and the upstream socket of
 * its own (connected, not a handshake: nothing is sent until its first datagram).
 */
export type RelayOpen = Event<'relay.open', {readonly id: number; readonly client: Endpoint; readonly local: Endpoint; readonly upstream: Remote; readonly upstreamPeer: Endpoint; readonly connectMs: number; readonly transport?: 'udp'; readonly tls?: TlsSummary}>;

/**
 * A TLS session as a learner wants to see it: the version and cipher agreed, ALPN, the handshake
 * time apart from the TCP connect (ms), and the peer certificate (subject, issuer, validity,
 * SHA-256 fingerprint); `authorized`: it verified against the CAs.
 */
export type TlsSummary = {
	readonly protocol: string;
	readonly cipher: string;
	readonly handshakeMs: number;
	readonly authorized: boolean;
	readonly alpn?: string;
	readonly subject?: string;
	readonly issuer?: string;
	readonly validFrom?: string;
	readonly validTo?: string;
	readonly fingerprint256?: string;
};
/**
 * One read, passed on unchanged: `bytes` on the wire; its first `captured` bytes are the payload
 * (all of them unless --capture-bytes bounds what the log keeps per connection and direction).
 */
export type RelayData = Event<'relay.data', {
	readonly id: number;
	readonly from: RelaySide;
	readonly bytes: number;
	readonly captured: number;
	/** It was held (relay.held, this seq) and is released now. */
	readonly released?: number;
	/** Edited while held: the message as it arrived (without its line ending). */
	readonly edited?: Payload;
	/** Changed by a --rewrite rule: the rule, and the message as it arrived. */
	readonly rewritten?: {readonly rule: string} & Payload;
	/** Sent as it arrived: the rules would have made it larger than `maxBytes` (--max-held), or (`work`) read more than four times it (rewriteWork). */
	readonly notRewritten?: {readonly rule: string; readonly maxBytes: number; readonly work?: true};
	/** Typed by the operator: sent in this direction, never read from `from`. */
	readonly injected?: true;
	/**
	 * Bytes of the read before the payload that the event leaves out (the payload is then its
	 * last `captured` bytes): only when nothing but the screen watches, which shows last lines.
	 */
	readonly elided?: number;
} & Payload>;
/**
 * A message that arrived in a paused direction, held until released, edited or dropped: `seq`
 * numbers the held messages of one connection, both directions together, from 1. The payload is
 * the message without its line ending (`eol`, `skipped` as for conn.message).
 */
export type RelayHeld = Event<'relay.held', {readonly id: number; readonly from: RelaySide; readonly seq: number; readonly bytes: number} & Payload & Framed>;
/** A held message dropped by the operator: never sent. */
export type RelayDrop = Event<'relay.drop', {readonly id: number; readonly from: RelaySide; readonly seq: number; readonly bytes: number}>;
/** A direction paused (what arrives is held) or resumed (held messages go first, in order). */
export type RelayPause = Event<'relay.pause', {readonly id: number; readonly from: RelaySide; readonly paused: boolean}>;
/**
 * A paused direction holds `limit` bytes or more: the relay stops reading that side (TCP
 * backpressure slows the sender) until some are released or dropped (`blocked: false`).
 */
export type RelayBlocked = Event<'relay.blocked', {readonly id: number; readonly from: RelaySide; readonly blocked: boolean; readonly heldBytes: number; readonly limit: number}>;
/** One side finished sending (half-close); passed on to the other. */
export type RelayEnd = Event<'relay.end', {readonly id: number; readonly from: RelaySide}>;
/** Both sides are closed: why, and the bytes each way (up: client → upstream). */
export type RelayClose = Event<'relay.close', {readonly id: number; readonly reason: RelayCloseReason; readonly bytesUp: number; readonly bytesDown: number; readonly durationMs: number; readonly client?: Endpoint; readonly error?: string}>;

/** `connect -z`: one port's answer to a TCP handshake (nothing sent). */
export type PortCheck = Event<'port.check', {readonly host: string; readonly port: number; readonly open: boolean; readonly ms: number; readonly reason?: string}>;

/** `receiveBuffer`: bytes the kernel holds for datagrams not yet read (we ask for 4 MB). */
export type UdpListening = Event<'udp.listening', {readonly host: string; readonly port: number; readonly family: Family; readonly receiveBuffer: number}>;
export type UdpError = Event<'udp.error', {readonly host: string; readonly port: number} & Failure>;
export type UdpClosed = Event<'udp.closed', {readonly host: string; readonly port: number}>;
/** A datagram received by the endpoint. */
export type UdpDatagram = Event<'udp.datagram', {readonly peer: Endpoint; readonly bytes: number; readonly denied?: boolean} & Payload>;
/** The endpoint's answer to a datagram. */
export type UdpReply = Event<'udp.reply', {readonly peer: Endpoint; readonly bytes: number} & Payload>;
/** A datagram we sent on request (send-udp, /udp). */
export type UdpSent = Event<'udp.sent', {readonly peer: Endpoint; readonly bytes: number} & Payload>;

/** `get`: dialing the server. */
export type HttpConnect = Event<'http.connect', {readonly url: string; readonly host: string; readonly port: number; readonly tls: boolean}>;
/** `get`: the request as written on the socket. */
export type HttpRequest = Event<'http.request', {readonly url: string; readonly bytes: number; readonly text: string}>;
export type HttpStatus = Event<'http.status', {readonly url: string; readonly version: string; readonly status: number; readonly reason: string}>;
export type HttpHeaders = Event<'http.headers', {readonly url: string; readonly headers: ReadonlyArray<readonly [string, string]>}>;
/** Body bytes so far (at most ten a second); `total` when Content-Length said. */
export type HttpProgress = Event<'http.progress', {readonly url: string; readonly bytes: number; readonly total?: number}>;
export type HttpRedirect = Event<'http.redirect', {readonly url: string; readonly status: number; readonly location: string}>;
export type HttpDone = Event<'http.done', {readonly url: string; readonly status: number; readonly bytes: number; readonly durationMs: number}>;
/** The body was kept: where, and how many bytes. */
export type HttpSaved = Event<'http.saved', {readonly url: string; readonly file: string; readonly bytes: number}>;
export type HttpError = Event<'http.error', {readonly url: string; readonly code: string; readonly message: string; readonly hint: string}>;

export type SocketEvent =
	| ServerListening
	| ServerError
	| ServerClosed
	| ServerTls
	| ServerExec
	| KernelOverflow
	| KernelTimeWait
	| KernelUnseen
	| ConnOpen
	| ConnRead
	| ConnWrite
	| ConnMessage
	| ConnReply
	| ConnEnd
	| ConnClose
	| ConnWarning
	| ConnExec
	| ConnExit
	| ConnStderr
	| ClientStateChange
	| ClientEnd
	| ClientSent
	| ClientReceived
	| ClientRepeat
	| PortCheck
	| RelayListening
	| RelayOpen
	| RelayData
	| RelayHeld
	| RelayDrop
	| RelayPause
	| RelayBlocked
	| RelayEnd
	| RelayClose
	| UdpListening
	| UdpError
	| UdpClosed
	| UdpDatagram
	| UdpReply
	| UdpSent
	| HttpConnect
	| HttpRequest
	| HttpStatus
	| HttpHeaders
	| HttpProgress
	| HttpRedirect
	| HttpDone
	| HttpSaved
	| HttpError;

export type EventType = SocketEvent['type'];

/** The event of a given type. */
export type EventOf<T extends EventType> = Extract<SocketEvent, {type: T}>;

/** What a publisher hands the bus: an event without its timestamp. */
export type Draft<E extends SocketEvent = SocketEvent> = E extends SocketEvent ? Omit<E, 'ts'> : never;
