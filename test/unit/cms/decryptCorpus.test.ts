// Encrypted messages written by other implementations (Thunderbird's interop set made with OpenSSL, NSS mail,
// the RFC 4134 examples) decrypt with their published keys to the text their own test suites expect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptEnveloped, type RecipientKey } from '../../../src/core/cms/enveloped';
import { loadRecipient, smimeBody } from './decryptFixtures';

const CORPUS = process.env.SMIME_CORPUS ?? join(process.cwd(), '../shared/corpus');
const TB = join(CORPUS, 'thunderbird');
const RFC4134 = join(CORPUS, 'python-smime/smime/testdata');

function tbKey(name: string, withCertificate = true): RecipientKey {
  const r = loadRecipient(join(TB, `_derived/${name}.cert.pem`), join(TB, `_derived/${name}.key.pem`));
  return withCertificate ? { privateKey: r.privateKey, certificate: r.certificate } : { privateKey: r.privateKey };
}

const FRAN: [file: string, key: string, cipher: string, keyEncryption: RegExp][] = [
  ['fran-oaep_ossl.env', 'Fran', '3DES-EDE-CBC', /^RSA-OAEP$/],
  ['fran-oaep-label_ossl.env', 'Fran', 'AES-256-CBC', /^RSA-OAEP$/],
  ['fran-oaep-sha256hash_ossl.env', 'Fran', 'AES-128-CBC', /^RSA-OAEP$/],
  ['fran-oaep-sha256hash-sha256mgf_ossl.env', 'Fran', 'AES-256-CBC', /^RSA-OAEP$/],
  ['fran-ec_ossl-aes128-sha256.env', 'Fran-ec', 'AES-128-CBC', /ECDH \(X9\.63 KDF SHA-256\) \+ AES-128 key wrap/],
  ['fran-ec_ossl-aes256-sha512.env', 'Fran-ec', 'AES-256-CBC', /ECDH \(X9\.63 KDF SHA-512\) \+ AES-256 key wrap/],
];

for (const [file, key, cipher, keyEncryption] of FRAN) {
  test(`Thunderbird interop ${file} decrypts with the ${key} key`, (t) => {
    const path = join(TB, 'mailnews/test/data/smime-interop', file);
    if (!existsSync(path)) return t.skip('corpus not present');
    const der = smimeBody(readFileSync(path));
    for (const keys of [[tbKey(key)], [tbKey(key, false)]]) {
      const result = decryptEnveloped(der, keys);
      assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
      assert.match(result.content?.toString('utf8') ?? '', /This is a test message to Fran\./);
      assert.equal(result.contentEncryption.name, cipher);
      assert.match(result.recipients[0].keyEncryption, keyEncryption);
      assert.equal(result.recipients[0].matchedKey, true);
    }
    // The other Fran key (RSA vs EC) is not this message's recipient.
    const other = decryptEnveloped(der, [tbKey(key === 'Fran' ? 'Fran-ec' : 'Fran')]);
    assert.deepEqual(other.reasons.filter((r) => r.code !== 'weak-algorithm').map((r) => r.code), ['no-recipient-key']);
  });
}

test('NSS-made alice.env.eml decrypts with Bob (RSA PKCS#1 v1.5, BER from NSS)', (t) => {
  const path = join(TB, 'mailnews/test/data/smime/alice.env.eml');
  if (!existsSync(path)) return t.skip('corpus not present');
  const der = smimeBody(readFileSync(path));
  assert.equal(der[1], 0x80, 'NSS writes indefinite lengths');
  const result = decryptEnveloped(der, [tbKey('Bob')]);
  assert.equal(result.decrypted, true, JSON.stringify(result.reasons));
  assert.match(result.content?.toString('utf8') ?? '', /^Content-Type: text\/plain[^]*This is a test message from Alice to Bob\./);
  assert.deepEqual(result.reasons, []);
  assert.equal(result.recipients[0].serial, '28');
  assert.deepEqual(decryptEnveloped(der, [tbKey('Alice')]).reasons.map((r) => r.code), ['no-recipient-key']);
});

test('RFC 4134 §5.1 (3DES) and §5.2 (RC2 40-bit, with a KEK recipient) decrypt with Bob', (t) => {
  if (!existsSync(join(RFC4134, '5.1.bin'))) return t.skip('corpus not present');
  const bob = loadRecipient(join(RFC4134, 'BobRSASignByCarl.pem'), join(RFC4134, 'BobPrivRSAEncrypt.pem'));
  const keys = [{ privateKey: bob.privateKey, certificate: bob.certificate }];
  const des3 = decryptEnveloped(readFileSync(join(RFC4134, '5.1.bin')), keys);
  assert.equal(des3.content?.toString(), 'This is some sample content.');
  assert.deepEqual(des3.reasons.map((r) => r.code), ['weak-algorithm']);
  const rc2 = decryptEnveloped(readFileSync(join(RFC4134, '5.2.bin')), keys);
  assert.equal(rc2.content?.toString(), 'This is some sample content.');
  assert.equal(rc2.contentEncryption.keyBits, 40);
  assert.equal(rc2.contentEncryption.legacy, true);
  assert.deepEqual(rc2.recipients.map((r) => [r.type, r.matchedKey]), [['ktri', true], ['kekri', false]]);
});
