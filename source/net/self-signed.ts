import {X509Certificate} from 'node:crypto';

/** A certificate and its private key, PEM. */
export type CertificatePair = {readonly cert: string; readonly key: string};

/**
 * A fresh self-signed certificate for localhost (and 127.0.0.1, ::1), valid for 30 days, made by
 * a certificate library (no openssl binary): what `serve --tls` uses without --cert/--key.
 */
export async function selfSignedCertificate(): Promise<CertificatePair> {
	// Loaded when needed: the library (and its ASN.1 stack) would add ~100 ms to every start.
	const {generate} = await import('selfsigned');
	const pems = await generate([{name: 'commonName', value: 'localhost'}], {
		// An EC key: made in milliseconds (an RSA one takes a tenth of a second or more).
		keyType: 'ec',
		curve: 'P-256',
		notAfterDate: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000),
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
