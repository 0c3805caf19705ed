/**
 * The demo PKI and its files in process, at a fixed time: validity periods, chains by our own validator,
 * usage checks, and that the file list and the message table agree.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { publicKeysMatch } from '../../../src/core/keys';
import { demoFiles, type DemoFile } from '../../../src/core/pki/demoFiles';
import { DEMO_MESSAGES, rfc5322Date } from '../../../src/core/pki/demoMessages';
import { DEMO_ROOT_NAME, DEMO_USERS, createDemoPki, type DemoPki } from '../../../src/core/pki/demoPki';
import { analyzeMessage } from '../../../src/core/smime/analyze';
import { validateChain } from '../../../src/core/x509/chain';
import { certificateEmails } from '../../../src/core/x509/extensions';
import { checkRecipientUsage, checkSignerUsage } from '../../../src/core/x509/usage';
import { signersOf } from '../../helpers/report';

const NOW = new Date('2026-03-01T12:00:00Z');
const YEAR = 365 * 24 * 3600_000;
let pki: DemoPki;
let files: DemoFile[];

describe('demo PKI', () => {
  before(async () => {
    pki = await createDemoPki(NOW);
    files = demoFiles(pki);
  });

  test('the root is a self-signed CA named as a test CA, valid from before the expired user to years ahead', () => {
    const root = pki.root.certificate;
    assert.equal(root.subject.text.includes(DEMO_ROOT_NAME), true);
    assert.ok(root.isSelfIssued && root.verifySignatureBy(root));
    assert.ok(root.notBefore < pki.users.expired.certificate.notBefore);
    assert.ok(root.notAfter.getTime() > NOW.getTime() + 2 * YEAR);
  });

  test('every user chains to the root; only the expired one fails now, and it was valid a year and a day ago', () => {
    for (const { name } of DEMO_USERS) {
      const user = pki.users[name];
      assert.ok(publicKeysMatch(user.privateKey, user.certificate), name);
      assert.deepEqual(certificateEmails(user.certificate), [user.spec.email], name);
      const result = validateChain(user.certificate, { anchors: [pki.root.certificate], intermediates: [], at: NOW });
      assert.equal(result.trusted, name !== 'expired', `${name}: ${JSON.stringify(result.problems)}`);
    }
    const expired = pki.users.expired.certificate;
    assert.ok(Math.abs(expired.notAfter.getTime() - (NOW.getTime() - YEAR)) < 1000);
    const then = new Date(expired.notAfter.getTime() - 24 * 3600_000);
    assert.ok(validateChain(expired, { anchors: [pki.root.certificate], intermediates: [], at: then }).trusted);
  });

  test('usage: noeku cannot sign mail, the others can; bob and alice can be encrypted to', () => {
    for (const { name } of DEMO_USERS) {
      const codes = checkSignerUsage(pki.users[name].certificate).map((p) => p.code);
      assert.deepEqual(codes, name === 'noeku' ? ['ext-key-usage'] : [], name);
    }
    for (const name of ['bob', 'alice', 'carol-ec'] as const) assert.deepEqual(checkRecipientUsage(pki.users[name].certificate), [], name);
  });

  test('file paths are unique, secrets are exactly the keys and PKCS#12 files, and the messages match the table', () => {
    const paths = files.map((f) => f.path);
    assert.equal(new Set(paths).size, paths.length);
    assert.deepEqual(files.filter((f) => f.secret).map((f) => f.path).sort(), paths.filter((p) => /\.key\.pem$|\.p12$/.test(p)).sort());
    assert.deepEqual(paths.filter((p) => p.startsWith('messages/')), DEMO_MESSAGES.map((m) => `messages/${m.file}`));
  });

  test('the expired signer\'s message is dated, and signed, the day before its certificate ended', () => {
    const message = files.find((f) => f.path === 'messages/expired-signer.eml')!.data;
    const signedAt = new Date(pki.users.expired.certificate.notAfter.getTime() - 24 * 3600_000);
    assert.ok(message.toString('latin1').includes(`Date: ${rfc5322Date(signedAt)}`));
    const report = analyzeMessage(message, { anchors: [pki.root.certificate], at: NOW }).report;
    const signer = signersOf(report.layers[0])[0];
    assert.equal(signer?.signingTime, new Date(Math.floor(signedAt.getTime() / 1000) * 1000).toISOString());
    assert.equal(report.verdict, 'untrusted');
    assert.ok(!report.reasons.includes('signing-time-mismatch'));
  });

  test('rfc5322Date writes RFC 5322 §3.3 dates', () => {
    assert.equal(rfc5322Date(new Date('2026-03-01T02:03:04.567Z')), 'Sun, 01 Mar 2026 02:03:04 +0000');
  });
});
