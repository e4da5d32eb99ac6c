import {X509Certificate} from 'node:crypto';
import {commonJsExports} from './common-js.js';

const dayMs = 24 * 60 * 60 * 1000;

/** A certificate and its private key, PEM. */
export type CertificatePair = {readonly cert: string; readonly key: string};

/**
 * A fresh self-signed certificate for localhost (and 127.0.0.1, ::1), valid for 30 days, made by
 * a certificate library (no openssl binary), signed ECDSA with SHA-256: what `serve --tls` uses without --cert/--key.
 */
export async function selfSignedCertificate(): Promise<CertificatePair> {
	// Loaded when needed: the library (and its ASN.1 stack) would add ~100 ms to every start.
	const {generate} = commonJsExports(await import('selfsigned'));
	const now = Date.now();
	const pems = await generate([{name: 'commonName', value: 'localhost'}], {
		// An EC key: made in milliseconds (an RSA one takes a tenth of a second or more).
		keyType: 'ec',
		curve: 'P-256',
		// The library's default is SHA-1, which current clients refuse (RFC 9155; CA/B Forum BRs).
		algorithm: 'sha256',
		// Valid from a day ago: a peer whose clock is a little behind ours still accepts it.
		notBeforeDate: new Date(now - dayMs),
		notAfterDate: new Date(now + 30 * dayMs),
		extensions: [
			{name: 'basicConstraints', cA: false},
			{name: 'keyUsage', digitalSignature: true, keyEncipherment: true},
			{name: 'extKeyUsage', serverAuth: true},
			{name: 'subjectAltName', altNames: [{type: 2, value: 'localhost'}, {type: 7, ip: '127.0.0.1'}, {type: 7, ip: '::1'}]},
		],
	});
	return {cert: pems.cert, key: pems.private};
}

/** What a person checks a certificate by: its subject, validity end and SHA-256 fingerprint. */
export function certificateFacts(pem: string): {readonly subject: string; readonly validTo: string; readonly fingerprint256: string} {
	const certificate = new X509Certificate(pem);
	return {subject: certificate.subject.replaceAll('\n', ', '), validTo: certificate.validTo, fingerprint256: certificate.fingerprint256};
}
