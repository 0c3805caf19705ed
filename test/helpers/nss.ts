// NSS (Thunderbird's crypto library) through `certutil`, `pk12util` and `cmsutil` from libnss3-tools. cmsutil
// writes and reads raw CMS only; the MIME wrapping is done by the caller (see mime.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DigestName } from './mime';
import { TEST_PASSPHRASE, TestIdentity, TestPki, workFile } from './pki';

export interface NssDb {
  /** `sql:<dir>` as the NSS tools take it. */
  db: string;
}

/** True when the NSS command line tools are installed. */
export function nssAvailable(): boolean {
  return ['/usr/bin/cmsutil', '/usr/bin/certutil', '/usr/bin/pk12util'].every((p) => existsSync(p));
}

function nss(tool: string, args: string[]): string {
  return execFileSync(tool, args, { encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
}

let dbCount = 0;

/** A fresh NSS database trusting the test root, holding the keys and certificates of `users` (from their p12). */
export function createNssDb(pki: TestPki, users: TestIdentity[]): NssDb {
  dbCount += 1;
  const dir = join(pki.dir, `nssdb-${dbCount}`);
  mkdirSync(dir, { recursive: true });
  const db = `sql:${dir}`;
  nss('certutil', ['-N', '-d', db, '--empty-password']);
  nss('certutil', ['-A', '-d', db, '-n', 'Test Root CA', '-t', 'C,C,C', '-i', pki.root.cert]);
  for (const user of users) nss('pk12util', ['-i', user.p12, '-d', db, '-W', TEST_PASSPHRASE, '-K', '']);
  return { db };
}

const NSS_DIGEST: Record<DigestName, string> = { sha1: 'SHA1', sha256: 'SHA256', sha384: 'SHA384', sha512: 'SHA512' };

export interface NssSignOptions {
  digest?: DigestName;
  /** Content inside the SignedData (cmsutil without -T). */
  opaque?: boolean;
}

/**
 * Raw CMS SignedData by `cmsutil -S` with signing time (-G) and S/MIME capabilities (-P), as Thunderbird signs.
 * NSS refuses expired signers and signers without the emailProtection EKU.
 */
export function nssSignDer(pki: TestPki, db: NssDb, signer: TestIdentity, content: Buffer, options: NssSignOptions = {}): Buffer {
  const input = workFile(pki, 'nss-content.bin', content);
  const out = workFile(pki, 'nss-signed.der');
  const detach = options.opaque ? [] : ['-T'];
  nss('cmsutil', ['-S', ...detach, '-G', '-P', '-N', signer.name, '-H', NSS_DIGEST[options.digest ?? 'sha256'],
    '-i', input, '-o', out, '-d', db.db]);
  return readFileSync(out);
}

/** Raw CMS EnvelopedData by `cmsutil -E` (NSS 3.87 always uses RSA PKCS#1 v1.5 and AES-128-CBC here). */
export function nssEncryptDer(pki: TestPki, db: NssDb, recipients: TestIdentity[], content: Buffer): Buffer {
  const input = workFile(pki, 'nss-plain.bin', content);
  const out = workFile(pki, 'nss-enveloped.der');
  nss('cmsutil', ['-E', '-r', recipients.map((r) => r.email).join(','), '-i', input, '-o', out, '-d', db.db]);
  return readFileSync(out);
}

export interface NssVerifyResult {
  /** signerN.status values, e.g. GoodSignature, DigestMismatch, SigningCertNotTrusted. */
  statuses: string[];
  ok: boolean;
  report: string;
}

/**
 * `cmsutil -D` on raw CMS (with `content` for a detached signature). cmsutil exits 0 even on a digest mismatch,
 * so the outcome is read from its `signerN.status=` report lines.
 */
export function nssVerifyDer(pki: TestPki, db: NssDb, der: Buffer, content?: Buffer): NssVerifyResult {
  const input = workFile(pki, 'nss-verify.der', der);
  const args = ['-D', '-i', input, '-h', '1', '-d', db.db];
  if (content) args.push('-c', workFile(pki, 'nss-detached.bin', content), '-n');
  let report: string;
  try {
    report = nss('cmsutil', args);
  } catch (e) {
    report = String((e as { stderr?: string }).stderr ?? e);
  }
  const statuses = [...report.matchAll(/signer\d+\.status=(\w+)/g)].map((m) => m[1]);
  return { statuses, ok: statuses.length > 0 && statuses.every((s) => s === 'GoodSignature'), report };
}

/** `cmsutil -D` of raw EnvelopedData with the keys in `db`; returns the plaintext. */
export function nssDecryptDer(pki: TestPki, db: NssDb, der: Buffer): Buffer {
  const input = workFile(pki, 'nss-decrypt.der', der);
  const out = workFile(pki, 'nss-decrypted.bin');
  nss('cmsutil', ['-D', '-i', input, '-o', out, '-d', db.db]);
  return readFileSync(out);
}
