// Failure paths of decryption: wrong keys, altered messages, unsupported algorithms and damaged input
// come back as named reasons, never as exceptions or as wrong plaintext.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptEnveloped } from '../../../src/core/cms/enveloped';
import { parseContentInfo, sniffContentType } from '../../../src/core/cms/contentInfo';
import { encodeOid } from '../../../src/core/asn1/der';
import { OID } from '../../../src/core/asn1/oids';
import { encryptDer, loadRecipient, makeRecipient, makeTempDir, openssl, withCert, type Recipient } from './decryptFixtures';

// 64 bytes: a whole number of AES blocks, so CBC padding is one full block of 0x10.
const PLAIN = Buffer.from('Content-Type: text/plain\r\n\r\nfour blocks of sixteen bytes each!\r\n');

let tmp: ReturnType<typeof makeTempDir>;
let rsa: Recipient;
let ec: Recipient;
let stranger: Recipient;
let strangerEc: Recipient;

before(() => {
  assert.equal(PLAIN.length, 64);
  tmp = makeTempDir();
  rsa = makeRecipient(tmp.dir, 'rsa', 'rsa');
  ec = makeRecipient(tmp.dir, 'ec', 'p256');
  stranger = makeRecipient(tmp.dir, 'stranger', 'rsa');
  strangerEc = makeRecipient(tmp.dir, 'stranger-ec', 'p256');
});
after(() => tmp.cleanup());

function codes(result: { reasons: { code: string }[] }): string[] {
  return result.reasons.map((r) => r.code);
}

function flip(der: Buffer, offset: number, mask = 0x01): Buffer {
  const copy = Buffer.from(der);
  copy[offset] ^= mask;
  return copy;
}

describe('keys that do not fit', () => {
  test('a key whose certificate names no recipient: no-recipient-key, naming the recipients', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa }, { r: ec }]);
    const result = decryptEnveloped(der, [withCert(stranger)]);
    assert.equal(result.decrypted, false);
    assert.equal(result.content, undefined);
    assert.deepEqual(codes(result), ['no-recipient-key']);
    assert.match(result.reasons[0].message, /CN=rsa/);
    assert.match(result.reasons[0].message, new RegExp(`serial ${rsa.certificate.serialHex}`));
    assert.match(result.reasons[0].message, /CN=ec/);
    assert.deepEqual(result.recipients.map((r) => r.matchedKey), [false, false]);
  });
  test('no keys at all: no-recipient-key, without claiming that no key exists (the caller knows why)', () => {
    const result = decryptEnveloped(encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa }]), []);
    assert.deepEqual(codes(result), ['no-recipient-key']);
    assert.doesNotMatch(result.reasons[0].message, /supplied|given/);
  });
  test('recipients are named by the address of a known certificate, each once', () => {
    const keyPath = join(tmp.dir, 'bob.key');
    const certPath = join(tmp.dir, 'bob.crt');
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-subj', '/CN=Bob/emailAddress=bob@example.com', '-days', '3']);
    const bob = loadRecipient(certPath, keyPath);
    // The same certificate listed twice gives two RecipientInfos for one person.
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: bob }, { r: bob }, { r: rsa }]);
    const named = decryptEnveloped(der, [withCert(stranger)], [bob.certificate]);
    assert.deepEqual(named.recipients.map((r) => r.email ?? '-').sort(), ['-', 'bob@example.com', 'bob@example.com']);
    const message = named.reasons[0].message;
    assert.equal(message.split('bob@example.com').length, 2, message);
    assert.match(message, /^the message is encrypted for (bob@example\.com, issuer "[^"]*CN=rsa" serial \w+|issuer "[^"]*CN=rsa" serial \w+, bob@example\.com);/);
    assert.match(message, /the key given is not theirs$/);
    // Without the certificate, only issuer and serial can be shown.
    assert.match(decryptEnveloped(der, []).reasons[0].message, /issuer "E=bob@example\.com, CN=Bob" serial \w+$/);
  });
  test('wrong keys without a certificate: decryption-failed', () => {
    // GCM and OAEP make the outcome certain (a CBC guess with a random v1.5 key could pass padding by chance).
    const gcm = encryptDer(tmp.dir, PLAIN, '-aes-128-gcm', [{ r: rsa }]);
    assert.deepEqual(codes(decryptEnveloped(gcm, [{ privateKey: stranger.privateKey }])), ['decryption-failed']);
    const oaep = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa, keyopts: ['rsa_padding_mode:oaep'] }]);
    assert.deepEqual(codes(decryptEnveloped(oaep, [{ privateKey: stranger.privateKey }])), ['decryption-failed']);
    const ecdh = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: ec }]);
    assert.deepEqual(codes(decryptEnveloped(ecdh, [{ privateKey: strangerEc.privateKey }])), ['decryption-failed']);
  });
  test('a wrong RSA key without a certificate never passes off noise as CBC content', () => {
    // Implicit rejection gives the wrong key a random content key, whose CBC padding checks out about once in 256
    // tries: 1,200 tries meet that several times (all missed: about 1%), and each must still be decryption-failed.
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa }]);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 1200; i++) {
      const result = decryptEnveloped(der, [{ privateKey: stranger.privateKey }]);
      const outcome = result.decrypted ? 'decrypted' : codes(result).join(',');
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    assert.deepEqual([...outcomes], [['decryption-failed', 1200]]);
    // The right key without its certificate still decrypts, text and DER content alike.
    assert.ok(decryptEnveloped(der, [{ privateKey: rsa.privateKey }]).content?.equals(PLAIN));
    const derContent = Buffer.concat([Buffer.from([0x30, 0x81, 0x80]), randomBytes(0x80)]);
    const derEnveloped = encryptDer(tmp.dir, derContent, '-aes128', [{ r: rsa }]);
    assert.ok(decryptEnveloped(derEnveloped, [{ privateKey: rsa.privateKey }]).content?.equals(derContent));
  });
  test('a key of the wrong type is not tried against a recipient it cannot serve', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: ec }]);
    assert.deepEqual(codes(decryptEnveloped(der, [{ privateKey: rsa.privateKey }])), ['no-recipient-key']);
  });
  test('a certificate paired with the wrong private key: decryption-failed', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: ec }]);
    const result = decryptEnveloped(der, [{ privateKey: strangerEc.privateKey, certificate: ec.certificate }]);
    assert.deepEqual(codes(result), ['decryption-failed']);
  });
});

describe('altered messages', () => {
  test('GCM: a changed ciphertext byte or tag byte gives auth-tag-mismatch and no content', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes-256-gcm', [{ r: rsa }]);
    const fields = parseContentInfo(der).content.children;
    const ciphertext = fields[2].child(2);
    const mac = fields[3];
    assert.equal(mac.value.length, 16, 'openssl writes a 16-byte ICV');
    for (const offset of [ciphertext.valueStart, ciphertext.valueEnd - 1, mac.valueStart, mac.valueEnd - 1]) {
      const result = decryptEnveloped(flip(der, offset), [withCert(rsa)]);
      assert.equal(result.decrypted, false);
      assert.equal(result.content, undefined);
      assert.deepEqual(codes(result), ['auth-tag-mismatch']);
    }
  });
  test('CBC: a changed ciphertext byte that breaks the padding gives decryption-failed', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa }]);
    // The last byte of the next-to-last block turns the final 0x10 padding byte into 0x11: never valid.
    const result = decryptEnveloped(flip(der, der.length - 17), [withCert(rsa)]);
    assert.deepEqual(codes(result), ['decryption-failed']);
  });
  test('a damaged RSA v1.5 encrypted key fails like damaged content (no padding oracle)', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes-128-gcm', [{ r: rsa }]);
    const ktri = parseContentInfo(der).content.child(1).child(0);
    const encryptedKey = ktri.child(3);
    const result = decryptEnveloped(flip(der, encryptedKey.valueStart + 5), [withCert(rsa)]);
    assert.deepEqual(codes(result), ['auth-tag-mismatch']);
  });
  test('a damaged ECDH wrapped key fails the key-wrap integrity check', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: ec }]);
    const kari = parseContentInfo(der).content.child(1).child(0);
    const encryptedKey = kari.children[kari.children.length - 1].child(0).child(1);
    assert.equal(encryptedKey.value.length, 24, 'a 128-bit key wrapped with RFC 3394');
    const result = decryptEnveloped(flip(der, encryptedKey.valueStart + 5), [withCert(ec)]);
    assert.deepEqual(codes(result), ['decryption-failed']);
  });
});

describe('unsupported and malformed input', () => {
  test('an unknown content cipher is named and reported unsupported', () => {
    const der = encryptDer(tmp.dir, PLAIN, '-aes128', [{ r: rsa }]);
    const cbcOid = encodeOid(OID.aes128Cbc);
    const at = der.indexOf(cbcOid);
    const patched = Buffer.from(der);
    patched[at + cbcOid.length - 1] = 0x03; // 2.16.840.1.101.3.4.1.3 = aes128-OFB
    const result = decryptEnveloped(patched, [withCert(rsa)]);
    assert.deepEqual(codes(result), ['unsupported-algorithm']);
    assert.equal(result.contentEncryption.oid, '2.16.840.1.101.3.4.1.3');
    assert.equal(result.recipients[0].matchedKey, true);
  });
  test('password and KEK recipients are described; without a matching key: no-recipient-key', () => {
    const input = join(tmp.dir, 'm.txt');
    writeFileSync(input, PLAIN);
    const pwri = openssl(['cms', '-encrypt', '-binary', '-outform', 'DER', '-in', input, '-aes128', '-pwri_password', 'secret']);
    const kekri = openssl(['cms', '-encrypt', '-binary', '-outform', 'DER', '-in', input, '-aes128', '-secretkey', '000102030405060708090a0b0c0d0e0f', '-secretkeyid', '0102']);
    const r1 = decryptEnveloped(pwri, [withCert(rsa)]);
    assert.deepEqual(r1.recipients.map((r) => [r.type, r.keyEncryption]), [['pwri', 'password (PWRI-KEK)']]);
    assert.deepEqual(codes(r1), ['no-recipient-key']);
    const r2 = decryptEnveloped(kekri, [withCert(rsa)]);
    assert.deepEqual(r2.recipients.map((r) => [r.type, r.keyEncryption]), [['kekri', 'AES-128 key wrap']]);
    assert.deepEqual(codes(r2), ['no-recipient-key']);
  });
  test('other content types and garbage are malformed, never thrown', () => {
    const signed = openssl(['cms', '-sign', '-binary', '-outform', 'DER', '-in', join(tmp.dir, 'm.txt'), '-signer', rsa.certPath, '-inkey', rsa.keyPath]);
    assert.equal(sniffContentType(signed), OID.signedData);
    assert.deepEqual(codes(decryptEnveloped(signed, [withCert(rsa)])), ['malformed']);
    for (const junk of [Buffer.alloc(0), Buffer.from([0x30]), Buffer.from('not der at all'), randomBytes(300)]) {
      assert.equal(sniffContentType(junk), undefined);
      const result = decryptEnveloped(junk, [withCert(rsa)]);
      assert.equal(result.decrypted, false);
      assert.deepEqual(codes(result), ['malformed']);
    }
  });
  test('every truncation and many byte flips of real messages end in a reason, never an exception', () => {
    for (const [cipher, r] of [['-aes-128-gcm', rsa], ['-aes128', ec]] as const) {
      const der = encryptDer(tmp.dir, PLAIN, cipher, [{ r }]);
      for (let cut = 0; cut < der.length; cut++) {
        const result = decryptEnveloped(der.subarray(0, cut), [withCert(r)]);
        assert.equal(result.decrypted, false);
        assert.ok(result.reasons.length > 0, `cut at ${cut}`);
      }
      for (let i = 0; i < 400; i++) {
        const result = decryptEnveloped(flip(der, i % der.length, 1 + (i % 255)), [withCert(r), { privateKey: r.privateKey }]);
        if (result.decrypted) assert.ok(result.content);
        else assert.ok(result.reasons.some((x) => x.code !== 'weak-algorithm'), `flip at ${i % der.length}`);
      }
    }
  });
});
