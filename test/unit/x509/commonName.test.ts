/**
 * A distinguished name exposes its commonName, read from the certificate's RDNs (never re-parsed from the RFC 4514
 * text, where commas, plus signs and escapes make a regex read the wrong value): the most specific one, as
 * OpenSSL lists them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate } from '../../../src/core/x509/certificate';
import { certificateDetails } from '../../../src/core/x509/details';

function opensslCert(dir: string, subj: string): { cert: Certificate; opensslCns: string[] } {
  const out = join(dir, 'c.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'),
    '-out', out, '-subj', subj, '-days', '1', '-multivalue-rdn', '-utf8'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pem = readFileSync(out, 'latin1');
  const multiline = execFileSync('openssl', ['x509', '-in', out, '-noout', '-subject', '-nameopt', 'multiline,utf8,-esc_msb'], { encoding: 'utf8' });
  const opensslCns = [...multiline.matchAll(/^\s*commonName\s*=\s*(.*)$/gm)].map((m) => m[1]);
  return { cert: new Certificate(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')), opensslCns };
}

test('commonName: the most specific CN, with commas, plus signs and escapes as OpenSSL reads them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smime-cn-'));
  try {
    for (const subj of ['/O=Example/CN=Alice Example', '/CN=Outer CA/O=Example/CN=Alice, Jr. \\+ Co', '/O=No Common Name', '/CN=Élodie Ünïcode']) {
      const { cert, opensslCns } = opensslCert(dir, subj);
      const expected = opensslCns.at(-1) ?? null;
      assert.equal(cert.subject.commonName, expected, subj);
      assert.equal(certificateDetails(cert).subject.commonName, expected, subj);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
