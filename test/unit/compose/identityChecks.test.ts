/**
 * Refusals before anything is written: an expired, not-yet-valid, wrong-usage or mismatched signer; expired
 * recipients; and the warnings (From not in the certificate, Date far from now, readers that cannot decrypt).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import { ComposeError, encryptMessage, signMessage, type SignerIdentity } from '../../../src/core/smime/compose';
import type { Certificate } from '../../../src/core/x509/certificate';
import { sharedTestPki, type TestPki, type UserName } from '../../helpers/pki';
import { certificatesIn, identityFrom } from '../../helpers/certFiles';

let pki: TestPki;
let anchors: Certificate[];

function signer(name: UserName): SignerIdentity {
  const user = pki.users[name];
  return { ...identityFrom({ certPath: user.cert, keyPath: user.key }), chain: certificatesIn([user.chain]).certs };
}

function message(from: string, date = new Date()): Buffer {
  return Buffer.from(`From: ${from}\r\nTo: bob@example.com\r\nSubject: t\r\nDate: ${date.toUTCString()}\r\nContent-Type: text/plain\r\n\r\nhello\r\n`);
}

function refusal(fn: () => unknown): ComposeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ComposeError) return e;
    throw e;
  }
  assert.fail('expected a refusal');
}

before(async () => {
  pki = await sharedTestPki();
  anchors = certificatesIn([pki.root.cert]).certs;
});

describe('signer checks', () => {
  const cases: { name: UserName; code: string }[] = [
    { name: 'expired', code: 'cert-expired' },
    { name: 'noeku', code: 'ext-key-usage' },
    { name: 'encOnly', code: 'key-usage' },
  ];
  for (const c of cases) {
    test(`${c.name}: refused with ${c.code}; --force signs and says why`, () => {
      const input = message(pki.users[c.name].email);
      const e = refusal(() => signMessage({ input, signer: signer(c.name) }));
      assert.ok(e.problems.some((p) => p.code === c.code), JSON.stringify(e.problems));
      const forced = signMessage({ input, signer: signer(c.name), force: true });
      assert.ok(forced.warnings.some((w) => w.code === 'forced'));
      // The verifier reports the same problem the check refused.
      assert.notEqual(analyzeMessage(forced.message, { anchors }).report.verdict, 'valid');
    });
  }

  test('a certificate not yet valid at `now` is refused', () => {
    const e = refusal(() => signMessage({ input: message('alice@example.com'), signer: signer('alice'), now: new Date('2020-01-01T00:00:00Z') }));
    assert.equal(e.code, 'cert-not-yet-valid');
  });

  test('a key that is not the certificate\'s is refused even with force', () => {
    const mixed = { ...signer('alice'), privateKey: signer('bob').privateKey };
    assert.equal(refusal(() => signMessage({ input: message('alice@example.com'), signer: mixed })).code, 'key-mismatch');
    assert.throws(() => signMessage({ input: message('alice@example.com'), signer: mixed, force: true }), ComposeError);
  });

  test('From not in the certificate and a stale Date are warnings, and the verifier agrees', () => {
    const result = signMessage({ input: message('someone@example.net', new Date(Date.now() - 86400_000 * 3)), signer: signer('alice') });
    const codes = result.warnings.map((w) => w.code);
    assert.ok(codes.includes('sender-mismatch') && codes.includes('date-mismatch'), codes.join());
    const reasons = analyzeMessage(result.message, { anchors }).report.reasons;
    assert.ok(reasons.includes('sender-mismatch') && reasons.includes('signing-time-mismatch'), reasons.join());
  });

  test('a From that only the subject DN names (the SAN says otherwise) is warned about, and the verifier agrees', () => {
    // A certificate from the test intermediate whose subject DN email differs from its SAN (RFC 8550 §3: SAN wins).
    const dir = mkdtempSync(join(pki.work, 'dn-'));
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    writeFileSync(join(dir, 'ext.cnf'), '[leaf]\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=emailProtection\nsubjectAltName=email:alice@example.com\n');
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'r.csr', '-subj', '/CN=Alice/emailAddress=ceo@bank.example']);
    run(['x509', '-req', '-in', 'r.csr', '-CA', pki.inter.cert, '-CAkey', pki.inter.key, '-CAcreateserial', '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'leaf', '-out', 'c.pem']);
    const id = { ...identityFrom({ certPath: join(dir, 'c.pem'), keyPath: join(dir, 'k.pem') }), chain: certificatesIn([pki.inter.cert]).certs };
    const result = signMessage({ input: message('ceo@bank.example'), signer: id });
    assert.ok(result.warnings.some((w) => w.code === 'sender-mismatch' && /alice@example\.com/.test(w.message)), JSON.stringify(result.warnings));
    assert.equal(analyzeMessage(result.message, { anchors }).report.verdict, 'mismatch');
    assert.deepEqual(signMessage({ input: message('alice@example.com'), signer: id }).warnings, []);
  });

  test('a good identity signs without warnings', () => {
    const result = signMessage({ input: message('Alice <alice@example.com>'), signer: signer('alice') });
    assert.deepEqual(result.warnings, []);
  });
});

describe('recipient checks', () => {
  test('an expired recipient is refused, and forced with a warning', () => {
    const expired = signer('expired').certificate;
    const input = message('alice@example.com');
    assert.equal(refusal(() => encryptMessage({ input, recipients: [expired] })).code, 'recipient-expired');
    const forced = encryptMessage({ input, recipients: [expired], force: true });
    assert.ok(forced.warnings.some((w) => w.code === 'forced'));
  });

  test('GCM, OAEP and EC recipients are named as not readable by NSS/gpgsm; no self copy is a warning', () => {
    const input = message('alice@example.com');
    const result = encryptMessage({ input, recipients: [signer('bob').certificate, signer('bobec').certificate], cipher: 'aes-128-gcm', oaep: true });
    const texts = result.warnings.filter((w) => w.code === 'limited-readers').map((w) => w.message);
    assert.equal(texts.length, 3, texts.join('\n'));
    assert.ok(texts.every((t) => /gpgsm/.test(t)));
    assert.ok(result.warnings.some((w) => w.code === 'no-self-copy'));
    const quiet = encryptMessage({ input, recipients: [signer('bob').certificate], self: signer('alice').certificate });
    assert.deepEqual(quiet.warnings.map((w) => w.code), []);
  });
});
