import {Socket} from 'node:net';
import {TLSSocket} from 'node:tls';

/**
 * Aborts a connection with a TCP RST (SO_LINGER 0), as a peer's reset is passed on: the other
 * side reads ECONNRESET, not a clean FIN. A TLS socket is reset through the TCP socket under it
 * (Node keeps that as `_parent`, for a server's socket and for one made over our own TCP socket:
 * `resetAndDestroy` on the TLS socket itself throws "This handle type cannot be sent"). A Unix
 * socket has no reset: it is closed. Never throws.
 */
export function resetConnection(socket: Socket): void {
	if (socket.destroyed) {
		return;
	}

	const parent = socket instanceof TLSSocket ? (socket as unknown as {_parent?: unknown})._parent : socket;
	const raw = parent instanceof Socket ? parent : undefined;
	try {
		if (raw && !raw.destroyed) {
			raw.resetAndDestroy();
		}
	} catch {
		// Not a TCP handle (a Unix socket): a close is all there is.
	}

	socket.destroy();
}
