/** Where a remote is, as typed: `tls://h:p`, `unix:/path`, `unix:@name`, `h:p`. */
export function formatRemote(remote: {readonly host: string; readonly port: number; readonly tls?: true; readonly path?: string}): string {
	if (remote.path !== undefined) {
		return remote.path.startsWith('\0') ? `unix:@${remote.path.slice(1)}` : `unix:${remote.path}`;
	}

	return `${remote.tls ? 'tls://' : ''}${formatHostPort(remote.host, remote.port)}`;
}

/** `host:port`, with IPv6 in brackets (`[::1]:9999`), as addresses are written in this tool. */
export function formatHostPort(host: string, port: number): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
