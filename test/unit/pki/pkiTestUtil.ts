/** Shared pieces of the certificate and PKCS#12 writer tests: a temp dir, openssl runs, a small RSA CA. */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate, type CertificateIssuer } from '../../../src/core/pki/certificateBuilder';
import type { Certificate } from '../../../src/core/x509/certificate';

export interface Run {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool; a non-zero exit is returned, not thrown, so tests can assert on refusals. stderr is kept on success
 * too (`openssl pkcs12 -info` prints its algorithm lines there).
 */
export function run(tool: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Run {
  const r = spawnSync(tool, args, { ...options, encoding: 'latin1', stdio: ['pipe', 'pipe', 'pipe'] });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

export function openssl(args: string[], input?: string): Run {
  return run('openssl', args, { input });
}

export function hasTool(path: string): boolean {
  return existsSync(path);
}

export const HAS_OPENSSL = run('openssl', ['version']).ok;

export type KeyKind = 'rsa' | 'ec' | 'ed25519';

export function generateKey(kind: KeyKind): { privateKey: KeyObject; publicKey: KeyObject } {
  if (kind === 'rsa') return generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (kind === 'ec') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return generateKeyPairSync('ed25519');
}

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

export class TempDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'smime-pki-writer-'));

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Writes `data` to `name` in the temp dir and returns the path. */
  write(name: string, data: string | Buffer): string {
    const path = this.path(name);
    writeFileSync(path, data);
    return path;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A self-signed CA made by our builder. */
export function makeCa(kind: KeyKind = 'rsa', cn = 'Writer Test Root CA'): CertificateIssuer & { certificate: Certificate } {
  const key = generateKey(kind);
  const now = Date.now();
  const certificate = issueCertificate({
    subject: { CN: cn, O: 'smime tests' },
    emails: [],
    publicKey: key.publicKey,
    privateKey: key.privateKey,
    notBefore: new Date(now - HOUR),
    notAfter: new Date(now + 30 * DAY),
    ca: true,
  });
  return { certificate, privateKey: key.privateKey };
}
