import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRecipientUsage, checkSignerUsage } from '../../../src/core/x509/usage';
import { TestPki, hasOpenssl, opensslVerify, type IssueOptions, type Issued } from './testPki';

const NOW = new Date(Date.now() + 600_000);

describe('S/MIME key usage checks (RFC 8550 §4.4)', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  let pki: TestPki;
  let root: Issued;
  let n = 0;
  const make = (ext: string[], o: IssueOptions = {}) => pki.issue(`u${++n}`, root, { ...o, ext: ['basicConstraints = CA:FALSE', ...ext] });
  const signer = (c: Issued) => checkSignerUsage(c.cert).map((p) => p.code);
  const recipient = (c: Issued) => checkRecipientUsage(c.cert).map((p) => p.code);
  /** openssl's S/MIME purposes: the reference for the cases where RFC 8550 and OpenSSL agree. */
  const opensslPurpose = (c: Issued, purpose: string) => opensslVerify(pki, c, [root], [], NOW, [], ['-purpose', purpose]).ok;

  before(() => {
    pki = new TestPki();
    root = pki.root('root');
  });
  after(() => pki.cleanup());

  test('signer: keyUsage must include digitalSignature or nonRepudiation when present', () => {
    const cases: [string[], string[]][] = [
      [['keyUsage = critical, digitalSignature'], []],
      [['keyUsage = critical, nonRepudiation'], []],
      [['keyUsage = critical, keyEncipherment'], ['key-usage']],
      [[], []],
    ];
    for (const [ext, expected] of cases) {
      const cert = make(ext);
      assert.deepEqual(signer(cert), expected, ext.join());
      assert.equal(opensslPurpose(cert, 'smimesign'), expected.length === 0, `openssl smimesign ${ext.join()}`);
    }
  });

  test('signer: extKeyUsage must include emailProtection or anyExtendedKeyUsage when present', () => {
    const server = make(['keyUsage = digitalSignature', 'extendedKeyUsage = serverAuth, clientAuth']);
    assert.deepEqual(signer(server), ['ext-key-usage']);
    assert.match(checkSignerUsage(server.cert)[0].message, /serverAuth, clientAuth/);
    assert.equal(opensslPurpose(server, 'smimesign'), false);
    const email = make(['keyUsage = digitalSignature', 'extendedKeyUsage = serverAuth, emailProtection']);
    assert.deepEqual(signer(email), []);
    assert.equal(opensslPurpose(email, 'smimesign'), true);
    // RFC 8550 §4.4.4 allows anyExtendedKeyUsage; OpenSSL's purpose check does not, so no comparison here.
    assert.deepEqual(signer(make(['extendedKeyUsage = anyExtendedKeyUsage'])), []);
    assert.deepEqual(signer(make(['keyUsage = keyAgreement', 'extendedKeyUsage = codeSigning'])), ['key-usage', 'ext-key-usage']);
  });

  test('recipient: keyEncipherment for RSA, keyAgreement for EC', () => {
    const rsaSignOnly = make(['keyUsage = digitalSignature']);
    assert.deepEqual(recipient(rsaSignOnly), ['key-usage']);
    assert.equal(opensslPurpose(rsaSignOnly, 'smimeencrypt'), false);
    const rsaEncrypt = make(['keyUsage = keyEncipherment']);
    assert.deepEqual(recipient(rsaEncrypt), []);
    assert.equal(opensslPurpose(rsaEncrypt, 'smimeencrypt'), true);
    assert.deepEqual(recipient(make(['keyUsage = keyAgreement'], { alg: 'ec' })), []);
    assert.deepEqual(recipient(make(['keyUsage = keyEncipherment'], { alg: 'ec' })), ['key-usage']);
    assert.deepEqual(recipient(make([])), []);
  });

  test('an unreadable keyUsage is reported, not ignored', () => {
    const bad = make(['keyUsage = DER:0500']);
    assert.deepEqual(signer(bad), ['key-usage']);
    assert.match(checkSignerUsage(bad.cert)[0].message, /malformed keyUsage/);
  });
});
