// Recipients and encrypted messages made with the openssl binary at test time, for the decryption tests.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate } from '../../../src/core/x509/certificate';
import type { RecipientKey } from '../../../src/core/cms/enveloped';

export type RecipientKind = 'rsa' | 'p256' | 'p384';

export interface Recipient {
  certPath: string;
  keyPath: string;
  certificate: Certificate;
  privateKey: KeyObject;
}

export function openssl(args: string[], input?: Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'smime-decrypt-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function pemToDer(pem: string): Buffer {
  const body = pem.split('-----BEGIN CERTIFICATE-----')[1].split('-----END CERTIFICATE-----')[0];
  return Buffer.from(body, 'base64');
}

export function loadRecipient(certPath: string, keyPath: string): Recipient {
  return {
    certPath,
    keyPath,
    certificate: new Certificate(pemToDer(readFileSync(certPath, 'latin1'))),
    privateKey: createPrivateKey(readFileSync(keyPath)),
  };
}

/** A self-signed recipient certificate (OpenSSL 3 adds a subjectKeyIdentifier, which -keyid needs). */
export function makeRecipient(dir: string, name: string, kind: RecipientKind): Recipient {
  const keyPath = join(dir, `${name}.key`);
  const certPath = join(dir, `${name}.crt`);
  const keyOpts = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${kind === 'p256' ? 'P-256' : 'P-384'}`];
  openssl(['req', '-x509', ...keyOpts, '-nodes', '-keyout', keyPath, '-out', certPath, '-subj', `/CN=${name}/O=Decrypt Test`, '-days', '3']);
  return loadRecipient(certPath, keyPath);
}

export function withCert(r: Recipient): RecipientKey {
  return { privateKey: r.privateKey, certificate: r.certificate };
}

/** `openssl cms -encrypt -binary -outform DER` of `plain` to `recipients`, with extra options placed per recipient. */
export function encryptDer(dir: string, plain: Buffer, cipher: string, recipients: { r: Recipient; keyopts?: string[] }[], extra: string[] = []): Buffer {
  const input = join(dir, 'plain.bin');
  writeFileSync(input, plain);
  const recips = recipients.flatMap(({ r, keyopts }) => ['-recip', r.certPath, ...(keyopts ?? []).flatMap((k) => ['-keyopt', k])]);
  return openssl(['cms', '-encrypt', '-binary', '-outform', 'DER', '-in', input, cipher, ...extra, ...recips]);
}

/** openssl's own decryption, the reference our output is compared with. */
export function opensslDecrypt(dir: string, der: Buffer, r: Recipient): Buffer {
  const input = join(dir, 'enc.der');
  writeFileSync(input, der);
  return openssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', input, '-recip', r.certPath, '-inkey', r.keyPath]);
}

/** The base64 body of an application/pkcs7-mime entity (after the first empty line), decoded. */
export function smimeBody(eml: Buffer): Buffer {
  const text = eml.toString('latin1').replace(/\r\n/g, '\n');
  const start = text.indexOf('\n\n');
  if (start < 0) throw new Error('no header/body separator');
  return Buffer.from(text.slice(start + 2), 'base64');
}
