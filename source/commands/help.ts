import {defaults} from '../config.js';

export const helpText = `
	Usage
	  $ socket-tui                      server + UDP + a client connected to it, full screen
	  $ socket-tui serve                server + UDP (full screen; headless with --json or no TTY)
	  $ socket-tui connect HOST:PORT    the interactive client, to any TCP server (HOST PORT works too);
	                                    piped, it is nc: stdin's bytes out, the peer's bytes to stdout
	  $ socket-tui connect -z HOST 20-30   which ports accept a connection (like nc -z)
	  $ socket-tui connect -u HOST:PORT    a UDP client like nc -u: a datagram per stdin line
	  $ socket-tui send-udp HOST:PORT [MESSAGE…]  a datagram per message (or per stdin line), print each reply
	  $ socket-tui get URL              the tutorial's raw HTTP GET: head to stderr, body to a file

	Server options
	  --host ADDRESS       address to bind (default ${defaults.host}; ::1, 0.0.0.0, localhost…)
	  --port N             TCP port (default ${defaults.port}; 0 = any free port)
	  --udp-port N         UDP port (default: the TCP port)
	  --no-udp             no UDP endpoint
	  --framing line|chunk line: a message ends at \\n, a tail after ${defaults.idleFlushMs} ms of silence (default);
	                       chunk: one read is one message, as the tutorial's recv(1024)
	  --eol lf|crlf|none   line ending of what we send (default ${defaults.eol})
	  --max-clients N      clients served at once; more are told "server full" (default ${defaults.maxClients})
	  --max-line BYTES     longest line kept; longer ones arrive in pieces (default 64k)
	  --max-buffer BYTES   output queued for a client that does not read before it is paused (default 1m)
	  --idle-timeout TIME  close a connection silent for TIME (30, 30s, 500ms, 5m; default never)
	  --allow CIDR         serve only peers in this range (repeatable; e.g. 127.0.0.1, 10.0.0.0/8)

	Replies
	  --reply 'REGEX=>TEMPLATE'  answer matching messages (repeatable, first match wins;
	                       $& the match, $1… groups, {peer} the sender); others get Hello, M!
	                       REGEX is RE2 syntax, matched in linear time (no backreferences/lookaround)
	  --reply-file FILE    one REGEX=>TEMPLATE rule per line (# comments)
	  --no-greeting        no Welcome!/Hello/exit: a silent listener (rules still answer)
	  --relay              a chat room: each message goes to every other client, tagged [peer]

	Screen
	  --no-history         do not keep the input history (kept in $XDG_STATE_HOME/socket-tui/history)
	  Keys: Tab pane · ↑↓ select/history · Enter open/send · b broadcast · k kick · x hex · PgUp/PgDn · ? help · q quit

	Output
	  --json               headless: one NDJSON event per line on stdout
	  --log FILE           append every event as NDJSON to FILE (any mode)

	Client options
	  --timeout MS         connect timeout (default ${defaults.connectTimeoutMs})
	  --send-file FILE     connect: send the file's lines in order, each after the previous reply
	  --interval MS        … or one every MS milliseconds
	  --once               … then disconnect and exit, having printed the transcript; piped:
	                       leave once stdin has ended and every message has its reply

	connect without a terminal (nc): bytes in and out unchanged
	  -v, --verbose        the transcript (times, round trips, summary) on stderr
	  --transcript         the transcript on stdout instead of the received bytes
	  --no-shutdown        do not half-close when stdin ends (default: half-close, as ncat)
	  -q SECS              quit SECS after stdin ends (as Debian's nc; default: when the peer closes)
	  --grace TIME         after the peer closes, keep sending stdin this long (default ${defaults.graceMs / 1000} s, as socat -t)
	  -C, --crlf           send each LF of stdin as CRLF
	  -z, --port-check     only check whether the port (or range LOW-HIGH) accepts a connection
	  -u, --udp            UDP: each stdin line (its newline included) is one datagram
	  --wait MS            UDP: wait for late replies after stdin ends; send-udp: for each reply (default ${defaults.waitMs})
	  --whole              send-udp: all of stdin as one datagram (default: one per line)

	get options
	  -o FILE              save the body to FILE (default: the typed URL's last segment, HOST-PATH.html
	                       for a page; - = stdout)
	  --trust-server-names name the file after where a redirect led (made safe; never hidden)
	  --raw                save every byte after the head, undecoded, as the tutorial does
	  -L                   follow redirects (at most --max-redirects, default ${defaults.maxRedirects})
	  -H 'Name: value'     an extra request header (repeatable)
	  --insecure           accept a self-signed or otherwise invalid TLS certificate
	  --timeout MS         connect and read timeout (default ${defaults.getTimeoutMs} for get)

	Addresses: HOST:PORT, tcp://HOST:PORT, udp://HOST:PORT; IPv6 in brackets: [::1]:9999.
	Exit codes: 0 done (also when our output's reader goes away), 1 a socket failure
	(port in use, refused…), 2 bad usage.

	Examples
	  $ socket-tui serve --json --port 0
	  $ printf 'Michael\\nexit\\n' | nc 127.0.0.1 9999
	  $ printf 'GET / HTTP/1.0\\r\\n\\r\\n' | socket-tui connect 127.0.0.1 8000
	  $ socket-tui send-udp 127.0.0.1:9999 Michael Tracy Sarah
`;
