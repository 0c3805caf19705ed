/**
 * Test fixtures read from disk in one synchronous call: certificate files (or a flat folder of them) and
 * identities. The core's loaders take a file adapter and are async; tests that only need the objects use these.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdentity, type Identity } from '../../src/core/keys';
import type { SignerIdentity } from '../../src/core/smime/compose';
import type { Certificate } from '../../src/core/x509/certificate';
import { CERTIFICATE_FILE_EXTENSIONS, certificatesFromBytes, uniqueCertificates } from '../../src/core/x509/trustStore';

/** Every certificate in the files (folders: their certificate files, one level), without duplicates. */
export function certificatesIn(paths: string[]): { certs: Certificate[]; problems: string[] } {
  const certs: Certificate[] = [];
  const problems: string[] = [];
  for (const path of paths) {
    const files = statSync(path).isDirectory()
      ? readdirSync(path).sort().filter((n) => CERTIFICATE_FILE_EXTENSIONS.some((e) => n.toLowerCase().endsWith(e))).map((n) => join(path, n))
      : [path];
    for (const file of files) {
      const r = certificatesFromBytes(readFileSync(file), file);
      certs.push(...r.certs);
      problems.push(...r.problems);
    }
  }
  return { certs: uniqueCertificates(certs), problems };
}

const readOptional = (path: string | undefined) => (path === undefined ? undefined : readFileSync(path));

/** An identity from key, certificate or PKCS#12 files. */
export function identityFrom(paths: { certPath?: string; keyPath?: string; p12Path?: string; passphrase?: string }): Identity {
  return parseIdentity({ cert: readOptional(paths.certPath), key: readOptional(paths.keyPath), p12: readOptional(paths.p12Path), passphrase: paths.passphrase });
}

/** A signer as the compose code takes it: a test user's key and certificate, with the certificates of its chain file. */
export function signerFrom(user: { cert: string; key: string; chain: string }): SignerIdentity {
  return { ...identityFrom({ certPath: user.cert, keyPath: user.key }), chain: certificatesIn([user.chain]).certs };
}
