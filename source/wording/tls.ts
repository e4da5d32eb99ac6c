import type {TlsSummary} from '../events.js';

/** A TLS session in one line: version, cipher, handshake time, the certificate and whether it verified. */
export function describeTls(tls: TlsSummary): string {
	const cert = tls.subject === undefined ? 'no certificate' : `cert ${tls.subject} (issuer ${tls.issuer ?? '?'}, valid ${tls.validFrom ?? '?'} – ${tls.validTo ?? '?'}, SHA-256 ${tls.fingerprint256 ?? '?'})`;
	return `${tls.protocol} ${tls.cipher}${tls.alpn ? ` ALPN ${tls.alpn}` : ''}, handshake ${tls.handshakeMs} ms · ${cert}${tls.authorized ? '' : ' · NOT verified (--insecure)'}`;
}

/** The same, a line per fact, for a transcript (a pane is narrower than a log line). */
export function describeTlsLines(tls: TlsSummary): string[] {
	const lines = [`TLS: ${tls.protocol} ${tls.cipher}${tls.alpn ? ` ALPN ${tls.alpn}` : ''}, handshake ${tls.handshakeMs} ms, certificate ${tls.authorized ? 'verified' : 'NOT verified (--insecure)'}`];
	if (tls.subject !== undefined) {
		lines.push(`cert subject: ${tls.subject} · issuer: ${tls.issuer ?? '?'}`, `cert valid: ${tls.validFrom ?? '?'} – ${tls.validTo ?? '?'}`, `cert SHA-256: ${tls.fingerprint256 ?? '?'}`);
	}

	return lines;
}
