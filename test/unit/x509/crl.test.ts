import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCrl, tryParseCrl } from '../../../src/core/x509/crl';
import { decodePemBlocks } from '../../../src/core/x509/pem';
import { CA_EXT, TestPki, hasOpenssl, openssl, type Issued } from './testPki';

const REASON_TEXT: Record<string, string> = {
  'Key Compromise': 'keyCompromise',
  Superseded: 'superseded',
  'Certificate Hold': 'certificateHold',
  'Cessation Of Operation': 'cessationOfOperation',
};

describe('parseCrl against openssl crl -text', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  let pki: TestPki;
  let ca: Issued;
  let ecCa: Issued;
  before(() => {
    pki = new TestPki();
    ca = pki.root('crlca', { subject: '/O=CRL Test/CN=CRL CA' });
    ecCa = pki.root('eccrlca', { alg: 'ec', ext: CA_EXT });
  });
  after(() => pki.cleanup());

  test('revoked serials, dates and reasons agree with openssl; DER and PEM read the same', () => {
    const reasons = ['keyCompromise', 'superseded', 'certificateHold', 'cessationOfOperation'];
    const victims = reasons.map((reason, i) => {
      const v = pki.issue(`v${i}`, ca);
      pki.revoke(ca, v, reason);
      return v;
    });
    const { path, crl } = pki.crl(ca, 48);
    const text = openssl(['crl', '-in', path, '-noout', '-text']).toString();
    const entries = [...text.matchAll(/Serial Number: (\S+)\s+Revocation Date: (.+?)\n(?:\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+(.+?)\n)?/g)];
    assert.equal(entries.length, 4);
    assert.deepEqual(
      crl.revoked.map((e) => [e.serialHex, e.revocationDate.toISOString(), e.reason]),
      entries.map((m) => [m[1], new Date(m[2]).toISOString(), REASON_TEXT[m[3]?.trim()]]),
    );
    assert.deepEqual(victims.map((v) => crl.entryFor(v.cert.serialHex)?.reason), reasons);
    assert.equal(crl.issuer.text, 'CN=CRL CA, O=CRL Test');
    assert.equal(crl.thisUpdate.toISOString(), new Date(text.match(/Last Update: (.+)/)![1]).toISOString());
    assert.equal(crl.nextUpdate?.toISOString(), new Date(text.match(/Next Update: (.+)/)![1]).toISOString());
    assert.equal(crl.crlNumber, text.match(/X509v3 CRL Number:\s+(\S+)/)![1]);
    assert.equal(crl.version, 2);
    assert.equal(crl.signatureAlgorithmName, 'sha256WithRSAEncryption');
    const der = openssl(['crl', '-in', path, '-outform', 'DER']);
    assert.deepEqual(parseCrl(der).revoked, crl.revoked);
    assert.equal(crl.toPem(), readFileSync(path, 'latin1'));
  });

  test('the signature verifies with the issuer key only, and not after tampering', () => {
    const { crl } = pki.crl(ecCa);
    assert.deepEqual(crl.revoked, []);
    assert.equal(crl.signatureAlgorithmName, 'ecdsa-with-SHA256');
    assert.equal(crl.verifySignatureBy(ecCa.cert), true);
    assert.equal(crl.verifySignatureBy(ca.cert), false);
    assert.equal(crl.isIssuedBy(ecCa.cert), true);
    const tampered = Buffer.from(crl.der);
    const at = tampered.indexOf(Buffer.from('eccrlca')) + 2;
    tampered[at] ^= 0x01;
    assert.equal(parseCrl(tampered).verifySignatureBy(ecCa.cert), false);
  });

  test('non-CRL input: parseCrl throws, tryParseCrl returns undefined', () => {
    assert.throws(() => parseCrl(Buffer.from('not a crl')));
    assert.equal(tryParseCrl(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])), undefined);
    assert.equal(tryParseCrl(decodePemBlocks(readFileSync(ca.certPath))[0].der), undefined);
  });
});
