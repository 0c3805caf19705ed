// EnvelopedData / AuthEnvelopedData made by `openssl cms -encrypt` decrypt to the same bytes, over the
// algorithm matrix OpenSSL can write (RSA v1.5 and OAEP, ECDH with each KDF hash, AES-CBC/GCM, 3DES).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptEnveloped } from '../../../src/core/cms/enveloped';
import { OID } from '../../../src/core/asn1/oids';
import { sniffContentType } from '../../../src/core/cms/contentInfo';
import { encryptDer, makeRecipient, makeTempDir, openssl, opensslDecrypt, smimeBody, withCert, type Recipient } from './decryptFixtures';

// A MIME entity with CRLF line ends and bytes outside ASCII, so any transformation shows.
const PLAIN = Buffer.concat([
  Buffer.from('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\u00fc\u00dfe aus dem Test \u2713\r\n', 'utf8'),
  Buffer.from('Line two.\r\n'),
]);

let tmp: ReturnType<typeof makeTempDir>;
let rsa: Recipient;
let p256: Recipient;
let p384: Recipient;
let stranger: Recipient;

before(() => {
  tmp = makeTempDir();
  rsa = makeRecipient(tmp.dir, 'rsa', 'rsa');
  p256 = makeRecipient(tmp.dir, 'p256', 'p256');
  p384 = makeRecipient(tmp.dir, 'p384', 'p384');
  stranger = makeRecipient(tmp.dir, 'stranger', 'rsa');
});
after(() => tmp.cleanup());

function assertDecrypts(der: Buffer, r: Recipient, expect: { kind?: string; name: string; aead?: boolean; legacy?: boolean; keyEncryption?: RegExp }): void {
  const result = decryptEnveloped(der, [withCert(r)]);
  assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
  assert.deepEqual(result.content, PLAIN);
  assert.deepEqual(result.content, opensslDecrypt(tmp.dir, der, r));
  assert.equal(result.kind, expect.kind ?? 'enveloped');
  assert.equal(result.contentEncryption.name, expect.name);
  assert.equal(result.contentEncryption.aead, expect.aead ?? false);
  assert.equal(result.contentEncryption.legacy, expect.legacy ?? false);
  assert.equal(result.reasons.some((x) => x.code === 'weak-algorithm'), expect.legacy ?? false);
  assert.ok(result.recipients.some((x) => x.matchedKey));
  if (expect.keyEncryption) assert.match(result.recipients.find((x) => x.matchedKey)?.keyEncryption ?? '', expect.keyEncryption);
}

describe('RSA key transport', () => {
  for (const [cipher, name] of [['-aes128', 'AES-128-CBC'], ['-aes192', 'AES-192-CBC'], ['-aes256', 'AES-256-CBC']]) {
    test(`PKCS#1 v1.5 with ${name}`, () => {
      assertDecrypts(encryptDer(tmp.dir, PLAIN, cipher, [{ r: rsa }]), rsa, { name, keyEncryption: /PKCS#1 v1\.5/ });
    });
  }
  test('3DES decrypts and is flagged weak', () => {
    assertDecrypts(encryptDer(tmp.dir, PLAIN, '-des3', [{ r: rsa }]), rsa, { name: '3DES-EDE-CBC', legacy: true });
  });
  test('single DES and RC2 (40, 64, 128 bits) from OpenSSL\'s legacy provider decrypt and are flagged weak', (t) => {
    const legacy = ['-provider', 'legacy', '-provider', 'default'];
    try {
      encryptDer(tmp.dir, PLAIN, '-des-cbc', [{ r: rsa }], legacy);
    } catch {
      return t.skip('openssl legacy provider not available');
    }
    for (const [cipher, name, bits] of [['-des-cbc', 'DES-CBC', 56], ['-rc2-40-cbc', 'RC2-CBC (40 bits)', 40], ['-rc2-64-cbc', 'RC2-CBC (64 bits)', 64], ['-rc2-cbc', 'RC2-CBC (128 bits)', 128]] as const) {
      const result = decryptEnveloped(encryptDer(tmp.dir, PLAIN, cipher, [{ r: rsa }], legacy), [withCert(rsa)]);
      assert.equal(result.decrypted, true, `${cipher}: ${JSON.stringify(result.reasons)}`);
      assert.deepEqual(result.content, PLAIN);
      assert.deepEqual([result.contentEncryption.name, result.contentEncryption.keyBits, result.contentEncryption.legacy], [name, bits, true]);
      assert.deepEqual(result.reasons.map((x) => x.code), ['weak-algorithm']);
    }
  });
  for (const [cipher, name] of [['-aes-128-gcm', 'AES-128-GCM'], ['-aes-256-gcm', 'AES-256-GCM']]) {
    test(`${name} makes AuthEnvelopedData`, () => {
      const der = encryptDer(tmp.dir, PLAIN, cipher, [{ r: rsa }]);
      assert.equal(sniffContentType(der), OID.authEnvelopedData);
      assertDecrypts(der, rsa, { kind: 'authEnveloped', name, aead: true });
    });
  }
  test('RSA-OAEP with the default SHA-1 parameters', () => {
    assertDecrypts(encryptDer(tmp.dir, PLAIN, '-aes256', [{ r: rsa, keyopts: ['rsa_padding_mode:oaep'] }]), rsa, { name: 'AES-256-CBC', keyEncryption: /OAEP/ });
  });
  test('RSA-OAEP with SHA-256 and MGF1-SHA-256', () => {
    const keyopts = ['rsa_padding_mode:oaep', 'rsa_oaep_md:sha256', 'rsa_mgf1_md:sha256'];
    assertDecrypts(encryptDer(tmp.dir, PLAIN, '-aes-256-gcm', [{ r: rsa, keyopts }]), rsa, { kind: 'authEnveloped', name: 'AES-256-GCM', aead: true, keyEncryption: /OAEP/ });
  });
  test('RSA-OAEP with SHA-512 and a label', () => {
    const keyopts = ['rsa_padding_mode:oaep', 'rsa_oaep_md:sha512', 'rsa_mgf1_md:sha512', 'rsa_oaep_label:0011223344'];
    assertDecrypts(encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa, keyopts }]), rsa, { name: 'AES-128-CBC' });
  });
  test('RSA-OAEP whose MGF1 hash differs from its hash is reported unsupported, not guessed', () => {
    const keyopts = ['rsa_padding_mode:oaep', 'rsa_oaep_md:sha256', 'rsa_mgf1_md:sha1'];
    const result = decryptEnveloped(encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa, keyopts }]), [withCert(rsa)]);
    assert.equal(result.decrypted, false);
    assert.deepEqual(result.reasons.map((x) => x.code), ['unsupported-algorithm']);
  });
});

describe('ECDH key agreement', () => {
  test('P-256 with the default SHA-1 KDF', () => {
    assertDecrypts(encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: p256 }]), p256, { name: 'AES-128-CBC', keyEncryption: /ECDH \(X9\.63 KDF SHA-1\) \+ AES-128 key wrap/ });
  });
  for (const md of ['sha224', 'sha256', 'sha384', 'sha512']) {
    test(`P-256 with the ${md} KDF and AES-256 wrap`, () => {
      assertDecrypts(encryptDer(tmp.dir, PLAIN, '-aes256', [{ r: p256, keyopts: [`ecdh_kdf_md:${md}`] }]), p256, { name: 'AES-256-CBC', keyEncryption: new RegExp(md.replace('sha', 'SHA-')) });
    });
  }
  test('P-384 with the sha384 KDF and GCM', () => {
    assertDecrypts(encryptDer(tmp.dir, PLAIN, '-aes-256-gcm', [{ r: p384, keyopts: ['ecdh_kdf_md:sha384'] }]), p384, { kind: 'authEnveloped', name: 'AES-256-GCM', aead: true });
  });
  test('cofactor ECDH (identical on prime curves)', () => {
    assertDecrypts(encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: p384, keyopts: ['ecdh_cofactor_mode:1', 'ecdh_kdf_md:sha256'] }]), p384, { name: 'AES-128-CBC', keyEncryption: /cofactor/ });
  });
  test('Triple-DES key wrap (RFC 3217) with 3DES content', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-des3', [{ r: p256 }], ['-des3-wrap']);
    assertDecrypts(der, p256, { name: '3DES-EDE-CBC', legacy: true, keyEncryption: /3DES key wrap/ });
    const wrong = decryptEnveloped(der, [{ privateKey: p384.privateKey }, { privateKey: makeRecipient(tmp.dir, 'other256', 'p256').privateKey }]);
    assert.deepEqual(wrong.reasons.map((x) => x.code), ['weak-algorithm', 'decryption-failed']);
  });
  test('an EC key without its certificate is tried against the key agreement recipients', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa }, { r: p256 }]);
    const result = decryptEnveloped(der, [{ privateKey: p256.privateKey }]);
    assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
    assert.deepEqual(result.content, PLAIN);
    assert.deepEqual(result.recipients.map((x) => [x.type, x.matchedKey]), [['ktri', false], ['kari', true]]);
  });
});

describe('recipients', () => {
  test('two recipients: each key alone decrypts, and both are described', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes256', [{ r: rsa }, { r: p384 }]);
    for (const r of [rsa, p384]) assertDecrypts(der, r, { name: 'AES-256-CBC' });
    const result = decryptEnveloped(der, [withCert(p384)]);
    assert.deepEqual(result.recipients.map((x) => x.type), ['ktri', 'kari']);
    assert.equal(result.recipients[0].serial, rsa.certificate.serialHex);
    assert.match(result.recipients[0].issuer ?? '', /CN=rsa/);
    assert.deepEqual(result.recipients.map((x) => x.matchedKey), [false, true]);
  });
  test('recipients named by subjectKeyIdentifier (-keyid), key transport and key agreement', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa }, { r: p256 }], ['-keyid']);
    for (const r of [rsa, p256]) {
      const result = decryptEnveloped(der, [withCert(r)]);
      assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
      assert.deepEqual(result.content, PLAIN);
      const matched = result.recipients.find((x) => x.matchedKey);
      assert.equal(matched?.ski, r.certificate.subjectKeyIdentifier?.toString('hex').toUpperCase());
      assert.equal(matched?.issuer, undefined);
    }
  });
  test('an RSA key without its certificate is tried against every key transport recipient', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: stranger }, { r: rsa }]);
    for (let i = 0; i < 5; i++) {
      const result = decryptEnveloped(der, [{ privateKey: rsa.privateKey }]);
      assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
      assert.deepEqual(result.content, PLAIN);
      // recipientInfos is a SET OF, so DER may reorder it: find ours by serial number.
      assert.deepEqual(result.recipients.map((x) => [x.serial, x.matchedKey]).sort(), [[rsa.certificate.serialHex, true], [stranger.certificate.serialHex, false]].sort());
    }
  });
});

describe('S/MIME and BER encodings', () => {
  test('the base64 S/MIME output of openssl cms -encrypt', () => {
    writeFileSync(join(tmp.dir, 'plain.txt'), PLAIN);
    const eml = openssl(['cms', '-encrypt', '-in', join(tmp.dir, 'plain.txt'), '-aes256', rsa.certPath]);
    assert.match(eml.toString('latin1'), /smime-type=enveloped-data/);
    const result = decryptEnveloped(smimeBody(eml), [withCert(rsa)]);
    assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
    assert.deepEqual(result.content, PLAIN);
  });
  test('streamed BER (indefinite lengths, content in many OCTET STRING segments), 1 MB', () => {
    const big = Buffer.alloc(1024 * 1024 + 7, 'x');
    big.write('Content-Type: application/octet-stream\r\n\r\n');
    const der = encryptDer(tmp.dir, big, '-aes256', [{ r: rsa }], ['-stream']);
    assert.equal(der[1], 0x80, 'openssl -stream writes an indefinite length');
    const result = decryptEnveloped(der, [withCert(rsa)]);
    assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
    assert.ok(result.content?.equals(big));
  });
});
