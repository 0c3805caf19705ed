import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KeyError, loadPkcs12, loadPrivateKey } from '../../../src/core/keys';
import { tryParseCertificate } from '../../../src/core/x509/certificate';
import { validateChain } from '../../../src/core/x509/chain';
import { tryParseCrl } from '../../../src/core/x509/crl';
import { certificateDetails } from '../../../src/core/x509/details';
import { formatCertificateText } from '../../../src/core/x509/format';
import { checkRecipientUsage, checkSignerUsage } from '../../../src/core/x509/usage';
import { TestPki, hasOpenssl, openssl, type Issued } from './testPki';

const ROUNDS = 400;

/** A small deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(data: Buffer, random: () => number): Buffer {
  const out = Buffer.from(data);
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
  return random() < 0.2 ? out.subarray(0, Math.floor(random() * out.length)) : out;
}

describe('damaged input never escapes as an untyped exception', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  let pki: TestPki;
  let root: Issued;
  let leaf: Issued;
  before(() => {
    pki = new TestPki();
    root = pki.root('root', { alg: 'ec' });
    leaf = pki.issue('leaf', root, {
      alg: 'ec',
      ext: ['keyUsage = digitalSignature', 'extendedKeyUsage = emailProtection', 'subjectAltName = email:a@example.com, IP:10.0.0.1, dirName:d', 'crlDistributionPoints = URI:http://x/', 'authorityInfoAccess = OCSP;URI:http://o/', 'certificatePolicies = 1.2.3', '[ d ]', 'CN = d'],
    });
  });
  after(() => pki.cleanup());

  test('certificates: details, text, usage and chain checks on mutated DER', () => {
    const random = prng(1);
    let parsed = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const cert = tryParseCertificate(mutate(leaf.cert.der, random));
      if (!cert) continue;
      parsed++;
      const d = certificateDetails(cert);
      formatCertificateText(d);
      checkSignerUsage(cert);
      checkRecipientUsage(cert);
      const r = validateChain(cert, { anchors: [root.cert], intermediates: [], at: new Date() });
      assert.ok(r.trusted === false || cert.der.equals(leaf.cert.der));
    }
    assert.ok(parsed > ROUNDS / 4, `${parsed} mutated certificates still parsed`);
  });

  test('CRLs, PKCS#12 and private keys on mutated bytes', () => {
    pki.revoke(root, leaf);
    const crl = pki.crl(root).crl;
    const p12 = openssl(['pkcs12', '-export', '-legacy', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-passout', 'pass:pw']);
    const key = openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-outform', 'DER', '-passout', 'pass:pw']);
    const plainKey = readFileSync(leaf.keyPath);
    const random = prng(2);
    for (let i = 0; i < ROUNDS; i++) {
      const c = tryParseCrl(mutate(crl.der, random));
      if (c) c.verifySignatureBy(root.cert);
      for (const attempt of [() => loadPkcs12(mutate(p12, random), 'pw'), () => loadPrivateKey(mutate(key, random), 'pw'), () => loadPrivateKey(mutate(plainKey, random))]) {
        try {
          attempt();
        } catch (e) {
          assert.ok(e instanceof KeyError, `untyped: ${(e as Error).stack}`);
        }
      }
    }
  });
});
