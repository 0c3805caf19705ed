// The hand-written pieces of decryption checked against OpenSSL: EME-PKCS1-v1_5 decoding after a raw
// RSA operation, the ANSI X9.63 KDF, and ContentInfo reading.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, privateDecrypt, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unpadPkcs1v15 } from '../../../src/core/cms/keyTransport';
import { x963Kdf } from '../../../src/core/cms/keyAgreement';
import { parseContentInfo, sniffContentType } from '../../../src/core/cms/contentInfo';
import { encodeOid } from '../../../src/core/asn1/der';
import { OID } from '../../../src/core/asn1/oids';
import { makeRecipient, makeTempDir, openssl, type Recipient } from './decryptFixtures';

let tmp: ReturnType<typeof makeTempDir>;
let rsa: Recipient;
before(() => {
  tmp = makeTempDir();
  rsa = makeRecipient(tmp.dir, 'rsa', 'rsa');
});
after(() => tmp.cleanup());

function rawDecrypt(ciphertext: Buffer): Buffer {
  return privateDecrypt({ key: rsa.privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);
}

test('PKCS#1 v1.5 padding written by openssl pkeyutl is removed exactly', () => {
  for (const length of [16, 24, 32, 1]) {
    const secret = randomBytes(length);
    const input = join(tmp.dir, 'secret.bin');
    writeFileSync(input, secret);
    const ciphertext = openssl(['pkeyutl', '-encrypt', '-certin', '-inkey', rsa.certPath, '-in', input]);
    assert.deepEqual(unpadPkcs1v15(rawDecrypt(ciphertext), length), { key: secret, plausible: true });
    assert.deepEqual(unpadPkcs1v15(rawDecrypt(ciphertext), undefined), { key: secret, plausible: true });
    // Expecting another length is a failure, answered with a random key of the expected length.
    const wrongLength = unpadPkcs1v15(rawDecrypt(ciphertext), length + 8);
    assert.equal(wrongLength.plausible, false);
    assert.equal(wrongLength.key.length, length + 8);
  }
});

test('bad PKCS#1 v1.5 paddings give a random key of the expected length', () => {
  const k = 256;
  const encode = (ps: Buffer, m: Buffer, head = [0, 2]) => Buffer.concat([Buffer.from(head), ps, Buffer.from([0]), m]);
  const m = Buffer.alloc(16, 0x11);
  const ps = Buffer.alloc(k - 19, 0x5a);
  assert.deepEqual(unpadPkcs1v15(encode(ps, m), 16), { key: m, plausible: true });
  // The shortest allowed padding string is 8 octets (RFC 8017 §7.2.2 step 3).
  assert.deepEqual(unpadPkcs1v15(encode(Buffer.alloc(8, 0x5a), Buffer.alloc(k - 11, 0x22)), k - 11).plausible, true);
  const psWithZero = Buffer.from(ps);
  psWithZero[100] = 0;
  const cases: [string, Buffer, number][] = [
    ['first byte not 0', encode(ps, m, [1, 2]), 16],
    ['block type 1', encode(ps, m, [0, 1]), 16],
    ['no separator', Buffer.concat([Buffer.from([0, 2]), Buffer.alloc(k - 2, 0x5a)]), 16],
    ['padding string of 7 octets', encode(Buffer.alloc(7, 0x5a), Buffer.alloc(k - 10, 0x22)), k - 10],
    ['a zero inside the padding string', encode(psWithZero, m), 16],
  ];
  for (const [what, em, expected] of cases) {
    assert.equal(em.length, k, what);
    const first = unpadPkcs1v15(em, expected);
    const second = unpadPkcs1v15(em, expected);
    assert.equal(first.plausible, false, what);
    assert.equal(first.key.length, expected, what);
    assert.notDeepEqual(first.key, second.key, `${what}: a fresh random key each time`);
    assert.notDeepEqual(first.key, em.subarray(k - expected), what);
  }
});

test('the X9.63 KDF agrees with openssl kdf X963KDF', () => {
  for (const [hash, length] of [['sha1', 16], ['sha256', 32], ['sha384', 24], ['sha512', 100], ['sha224', 40]] as const) {
    const z = randomBytes(32);
    const info = randomBytes(30);
    const expected = openssl(['kdf', '-keylen', String(length), '-binary', '-kdfopt', `digest:${hash.toUpperCase()}`, '-kdfopt', `hexsecret:${z.toString('hex')}`, '-kdfopt', `hexinfo:${info.toString('hex')}`, 'X963KDF']);
    assert.deepEqual(x963Kdf(hash, z, info, length), expected, hash);
  }
});

test('ContentInfo is read from DER and from BER with indefinite lengths', () => {
  const data = Buffer.concat([Buffer.from([0x30, 0x80]), encodeOid(OID.data), Buffer.from([0xa0, 0x80, 0x24, 0x80, 0x04, 0x01, 0x61, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])]);
  const ci = parseContentInfo(data);
  assert.equal(ci.contentType, OID.data);
  assert.equal(ci.content.octets().toString(), 'a');
  assert.equal(ci.root.end, data.length);
  assert.equal(sniffContentType(Buffer.concat([data, Buffer.from('\r\n')])), OID.data);
  assert.equal(sniffContentType(Buffer.concat([Buffer.from([0x30, 0x0b]), encodeOid(OID.data)])), undefined);
  assert.throws(() => parseContentInfo(Buffer.from([0x04, 0x00])));
});
