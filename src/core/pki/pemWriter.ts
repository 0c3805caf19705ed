/** PEM text (RFC 7468) for the certificates and keys this folder writes. */
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '../x509/certificate';
import { encodePem } from '../x509/pem';

/** One or more certificates as consecutive `CERTIFICATE` blocks (RFC 7468 §5). */
export function certificatesToPem(certs: Certificate[]): string {
  return certs.map((c) => encodePem('CERTIFICATE', c.der)).join('');
}

/**
 * An unencrypted PKCS#8 `PRIVATE KEY` block (RFC 7468 §10). The same form for RSA, EC and Ed25519, and the one
 * every reader we test against (OpenSSL, NSS tools, our loadPrivateKey) accepts.
 */
export function privateKeyToPem(key: KeyObject): string {
  if (key.type !== 'private') throw new TypeError('privateKeyToPem needs a private key');
  return encodePem('PRIVATE KEY', key.export({ type: 'pkcs8', format: 'der' }));
}
