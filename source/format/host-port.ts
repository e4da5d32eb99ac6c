/** `host:port`, with IPv6 in brackets (`[::1]:9999`), as addresses are written in this tool. */
export function formatHostPort(host: string, port: number): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
