/**
 * Signing someone else's ciphertext: Alice encrypts to Bob, Mallory wraps her ciphertext into a multipart (or an
 * attached message), signs that and sends it to Bob as his own. Mallory never saw the text, so the decrypted text
 * must not be shown as signed by him: his signature stays signed-ciphertext, the decrypted text stays
 * not-integrity-protected, and the verdict is not valid. OpenSSL makes every signature and encryption.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecipientKey } from '../../../src/core/cms/enveloped';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import type { SecurityReport } from '../../../src/core/smime/report';
import type { Certificate } from '../../../src/core/x509/certificate';
import { entity, mixedOf, sampleTextEntity, wrapMessage } from '../../helpers/mime';
import { opensslEncrypted, opensslSigned } from '../../helpers/openssl';
import { sharedTestPki, type TestIdentity, type TestPki } from '../../helpers/pki';
import { certificatesIn, identityFrom } from '../../helpers/certFiles';
import { asEncrypted, signersOf } from '../../helpers/report';

let pki: TestPki;
let anchors: Certificate[];
let bobKey: RecipientKey;

const TEXT = 'Amount: 100 EUR';

function from(user: TestIdentity): { from: string; to: string; subject: string } {
  return { from: `${user.name} <${user.email}>`, to: pki.users.bob.email, subject: 'payment' };
}

function analyze(bytes: Buffer): SecurityReport {
  return analyzeMessage(bytes, { anchors, keys: [bobKey] }).report;
}

/** Mallory's signature must not vouch for Alice's decrypted text. */
function assertNotSignedByWrapper(report: SecurityReport): void {
  assert.notEqual(report.verdict, 'valid', report.summary);
  assert.equal(report.verdict, 'unsigned', report.summary);
  assert.ok(report.reasons.includes('signed-ciphertext'), report.reasons.join(','));
  assert.ok(report.reasons.includes('not-integrity-protected'), report.reasons.join(','));
  const mallory = report.layers.find((l) => signersOf(l).some((s) => s.email === 'mallory@example.com'));
  assert.equal(mallory?.coversMessage, false);
  // The signature itself is fine: what it covers is ciphertext.
  assert.equal(signersOf(mallory)[0]?.status, 'valid');
  const enc = report.layers.find((l) => l.kind === 'enveloped');
  assert.equal(asEncrypted(enc).decrypted, true);
}

before(async () => {
  pki = await sharedTestPki();
  anchors = certificatesIn([pki.root.cert]).certs;
  const bob = identityFrom({ certPath: pki.users.bob.cert, keyPath: pki.users.bob.key });
  bobKey = { privateKey: bob.privateKey, certificate: bob.certificate };
});

describe('a signature over wrapped ciphertext', () => {
  test('control: Mallory signing his own text is valid for him', () => {
    const report = analyze(wrapMessage(from(pki.users.mallory), opensslSigned(pki, pki.users.mallory, mixedOf([sampleTextEntity(TEXT)]))));
    assert.equal(report.verdict, 'valid', report.summary);
  });

  test('ciphertext signed directly stays signed-ciphertext (as before)', () => {
    const encrypted = opensslEncrypted(pki, [pki.users.bob], sampleTextEntity(TEXT));
    assertNotSignedByWrapper(analyze(wrapMessage(from(pki.users.mallory), opensslSigned(pki, pki.users.mallory, encrypted))));
  });

  test('ciphertext wrapped into a multipart/mixed, then signed, stays signed-ciphertext', () => {
    const encrypted = opensslEncrypted(pki, [pki.users.bob], sampleTextEntity(TEXT));
    const wrapped = mixedOf([encrypted]);
    assertNotSignedByWrapper(analyze(wrapMessage(from(pki.users.mallory), opensslSigned(pki, pki.users.mallory, wrapped))));
  });

  test('ciphertext wrapped next to a text part of the signer, then signed, stays signed-ciphertext', () => {
    const encrypted = opensslEncrypted(pki, [pki.users.bob], sampleTextEntity(TEXT));
    const wrapped = mixedOf([entity(['Content-Type: text/plain'], 'See the attached instructions.\r\n'), encrypted]);
    assertNotSignedByWrapper(analyze(wrapMessage(from(pki.users.mallory), opensslSigned(pki, pki.users.mallory, wrapped))));
  });

  test('ciphertext wrapped into an attached message, then signed opaquely, stays signed-ciphertext', () => {
    const encrypted = opensslEncrypted(pki, [pki.users.bob], sampleTextEntity(TEXT));
    const attached = entity(['Content-Type: message/rfc822'], wrapMessage(from(pki.users.alice), encrypted));
    const wrapped = mixedOf([attached]);
    assertNotSignedByWrapper(analyze(wrapMessage(from(pki.users.mallory), opensslSigned(pki, pki.users.mallory, wrapped, { opaque: true }))));
  });

  test('control: sign, then encrypt (the normal order) is valid for the signer', () => {
    const signed = opensslSigned(pki, pki.users.alice, sampleTextEntity(TEXT));
    const report = analyze(wrapMessage(from(pki.users.alice), opensslEncrypted(pki, [pki.users.bob], signed)));
    assert.equal(report.verdict, 'valid', report.summary);
    assert.ok(!report.reasons.includes('signed-ciphertext'));
  });
});
