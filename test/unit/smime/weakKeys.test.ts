/**
 * Key sizes of the signer and of every CA of its chain (RFC 8551 §6, CA/B S/MIME BR §6.1.5): messages signed by
 * OpenSSL with weak keys are never valid. RSA under 2048 bits, EC under 256 bits and DSA are `weak-algorithm`;
 * RSA under 1024 bits and RSA exponents above 2^32 are refused outright (the key is never used).
 * OpenSSL at security level 2 (-auth_level 2) is the independent witness for the RSA sizes.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import type { SecurityReport, SignerReport } from '../../../src/core/smime/report';
import { Certificate } from '../../../src/core/x509/certificate';
import { keyWeakness } from '../../../src/core/x509/keyStrength';
import { signersOf } from '../../helpers/report';

let dir = '';
const KEYS: Record<string, string[]> = {
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p224: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-224'],
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa1536: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1536'],
  rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  rsa512: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:512'],
  // 2^32 + 1: odd, one past the largest exponent accepted; 2^32 - 1 is the largest accepted.
  rsaHugeE: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:4294967297'],
  rsaMaxE: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:4294967295'],
};

function openssl(args: string[], input?: string): Buffer {
  return execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function pem(name: string): Certificate {
  return new Certificate(Buffer.from(readFileSync(join(dir, `${name}.pem`), 'latin1').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
}

function key(name: string, kind: string): void {
  if (kind === 'dsa') {
    openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-pkeyopt', 'dsa_paramgen_q_bits:256', '-out', 'dsa.param']);
    openssl(['genpkey', '-paramfile', 'dsa.param', '-out', `${name}.key`]);
  } else openssl(['genpkey', ...KEYS[kind], '-out', `${name}.key`]);
}

function root(name: string, kind: string): void {
  key(name, kind);
  openssl(['req', '-x509', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-days', '30', '-extensions', 'ca', '-config', 'ext.cnf', '-out', `${name}.pem`]);
}

function issue(name: string, kind: string, issuer: string, section: 'ca' | 'leaf'): void {
  key(name, kind);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-days', '10', '-extfile', 'ext.cnf', '-extensions', section, '-out', `${name}.pem`]);
}

function sign(signer: string, chain: string[] = []): string {
  const extra = chain.length ? ['-certfile', `${chain[0]}.pem`] : [];
  const signed = openssl(['cms', '-sign', '-in', 'body.txt', '-signer', `${signer}.pem`, '-inkey', `${signer}.key`, '-md', 'sha256', '-binary', ...extra]).toString('latin1');
  return `From: signer@example.com\r\nTo: bob@example.com\r\nSubject: key sizes\r\nDate: ${new Date().toUTCString()}\r\n${signed}`;
}

function analyze(message: string, anchor: string): SecurityReport {
  return analyzeMessage(Buffer.from(message, 'latin1'), { anchors: [pem(anchor)] }).report;
}

function signer(report: SecurityReport): SignerReport {
  const s = signersOf(report.layers[0])[0];
  assert.ok(s, 'no signer');
  return s;
}

function errors(report: SecurityReport): string[] {
  return signer(report).reasons.filter((r) => r.severity === 'error').map((r) => r.code);
}

/** OpenSSL's verdict at a given security level (2 = 112 bits: RSA ≥ 2048). */
function opensslVerifies(message: string, anchor: string, authLevel: number): boolean {
  writeFileSync(join(dir, 'msg.eml'), message);
  try {
    openssl(['cms', '-verify', '-in', 'msg.eml', '-CAfile', `${anchor}.pem`, '-auth_level', String(authLevel), '-out', '/dev/null']);
    return true;
  } catch {
    return false;
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'smime-weak-keys-'));
  writeFileSync(
    join(dir, 'ext.cnf'),
    '[req]\ndistinguished_name=dn\n[dn]\n[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\n' +
      '[leaf]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=emailProtection\nsubjectAltName=email:signer@example.com\n',
  );
  writeFileSync(join(dir, 'body.txt'), 'Content-Type: text/plain\r\n\r\nPay 100 EUR to account 42.\r\n');
  root('root', 'p256');
  for (const kind of ['rsa2048', 'rsa1536', 'rsa1024', 'rsa512', 'p224', 'dsa', 'rsaHugeE', 'rsaMaxE']) issue(kind, kind, 'root', 'leaf');
  // A weak intermediate under a strong root, and a weak root, each above a strong signer.
  issue('weakInter', 'rsa1024', 'root', 'ca');
  issue('underWeakInter', 'p256', 'weakInter', 'leaf');
  root('weakRoot', 'rsa1024');
  issue('underWeakRoot', 'p256', 'weakRoot', 'leaf');
});

describe('signer key sizes', () => {
  test('RSA 2048 is strong: valid, and OpenSSL at security level 2 agrees', () => {
    const message = sign('rsa2048');
    const report = analyze(message, 'root');
    assert.equal(report.verdict, 'valid', report.summary);
    assert.equal(opensslVerifies(message, 'root', 2), true);
  });

  for (const [kind, bits] of [['rsa1536', 1536], ['rsa1024', 1024]] as const) {
    test(`RSA ${bits}: weak-algorithm, not valid (OpenSSL at level 2 refuses it too, at level 0 accepts it)`, () => {
      const message = sign(kind);
      const report = analyze(message, 'root');
      assert.equal(report.verdict, 'invalid', report.summary);
      assert.deepEqual(errors(report), ['weak-algorithm']);
      assert.match(signer(report).reasons[0].message, new RegExp(`signer: RSA key of ${bits} bits is weak`));
      assert.equal(keyWeakness(pem(kind))?.level, 'weak');
      assert.equal(opensslVerifies(message, 'root', 2), false);
      assert.equal(opensslVerifies(message, 'root', 0), true);
    });
  }

  test('RSA 512: refused, the signature is not even checked (invalid)', () => {
    const report = analyze(sign('rsa512'), 'root');
    assert.equal(report.verdict, 'invalid');
    assert.deepEqual(errors(report), ['weak-algorithm']);
    assert.equal(keyWeakness(pem('rsa512'))?.level, 'refused');
    assert.match(signer(report).checks.find((c) => c.id === 'signature')?.detail ?? '', /^not checked: RSA key of 512 bits/);
  });

  test('EC P-224: weak-algorithm (under 256 bits), not valid', () => {
    const report = analyze(sign('p224'), 'root');
    assert.equal(report.verdict, 'invalid', report.summary);
    assert.deepEqual(errors(report), ['weak-algorithm']);
    assert.match(signer(report).reasons[0].message, /EC key on a 224-bit curve is weak/);
  });

  test('DSA (even 2048 bits): weak-algorithm, not valid', () => {
    const report = analyze(sign('dsa'), 'root');
    assert.equal(report.verdict, 'invalid', report.summary);
    assert.deepEqual(errors(report), ['weak-algorithm']);
    assert.match(signer(report).reasons[0].message, /DSA key .*not allowed/);
  });

  test('RSA public exponent 2^32 + 1: refused, never used (invalid); 2^32 - 1 is still accepted', () => {
    const report = analyze(sign('rsaHugeE'), 'root');
    assert.equal(report.verdict, 'invalid');
    assert.deepEqual(errors(report), ['weak-algorithm']);
    assert.match(signer(report).reasons[0].message, /RSA public exponent 4294967297 is refused/);
    assert.equal(signer(report).checks.find((c) => c.id === 'signature')?.status, 'fail');
    assert.equal(analyze(sign('rsaMaxE'), 'root').verdict, 'valid');
  });
});

describe('CA key sizes', () => {
  test('an RSA 1024 intermediate above a strong signer: weak-algorithm, not valid', () => {
    const report = analyze(sign('underWeakInter', ['weakInter']), 'root');
    assert.equal(report.verdict, 'invalid', report.summary);
    assert.deepEqual(errors(report), ['weak-algorithm']);
    assert.match(signer(report).reasons[0].message, /^CA "CN=weakInter": RSA key of 1024 bits is weak/);
  });

  test('an RSA 1024 trust anchor: weak-algorithm, not valid', () => {
    const report = analyze(sign('underWeakRoot'), 'weakRoot');
    assert.equal(report.verdict, 'invalid', report.summary);
    assert.deepEqual(errors(report), ['weak-algorithm']);
    assert.match(signer(report).reasons[0].message, /^CA "CN=weakRoot": RSA key of 1024 bits/);
  });
});
