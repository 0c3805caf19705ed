import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadPrivateKey } from '../../../src/core/keys';
import { TestPki, hasOpenssl, openssl, type KeyAlgorithm } from '../x509/testPki';
import { keyErrorCode } from './keyErrorCode';

/** OpenSSL's own public key for a key file: the independent reference that we loaded the right key. */
function opensslPublicKey(keyPath: string): string {
  return openssl(['pkey', '-in', keyPath, '-pubout']).toString();
}

function publicPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}


describe('loadPrivateKey', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  let pki: TestPki;
  const keys: Partial<Record<KeyAlgorithm, string>> = {};
  before(() => {
    pki = new TestPki();
    for (const alg of ['rsa', 'ec', 'ed25519'] as KeyAlgorithm[]) keys[alg] = pki.key(alg, alg);
  });
  after(() => pki.cleanup());

  const variant = (name: string, args: string[]) => {
    const out = pki.path(name);
    openssl([...args, '-out', out]);
    return readFileSync(out);
  };

  test('unencrypted PEM and DER: PKCS#8, PKCS#1 RSA, SEC1 EC, Ed25519', () => {
    const rsa = keys.rsa!;
    const ec = keys.ec!;
    const cases: [string, Buffer, string][] = [
      ['rsa pkcs8 pem', readFileSync(rsa), rsa],
      ['rsa pkcs1 pem', variant('rsa1.pem', ['rsa', '-in', rsa, '-traditional']), rsa],
      ['rsa pkcs1 der', variant('rsa1.der', ['rsa', '-in', rsa, '-traditional', '-outform', 'DER']), rsa],
      ['rsa pkcs8 der', variant('rsa8.der', ['pkey', '-in', rsa, '-outform', 'DER']), rsa],
      ['ec pkcs8 pem', readFileSync(ec), ec],
      ['ec sec1 pem', variant('ec1.pem', ['ec', '-in', ec]), ec],
      ['ec sec1 der', variant('ec1.der', ['ec', '-in', ec, '-outform', 'DER']), ec],
      ['ed25519 pkcs8 pem', readFileSync(keys.ed25519!), keys.ed25519!],
      ['ed25519 pkcs8 der', variant('ed.der', ['pkey', '-in', keys.ed25519!, '-outform', 'DER']), keys.ed25519!],
    ];
    for (const [name, data, source] of cases) {
      const key = loadPrivateKey(data);
      assert.equal(key.type, 'private', name);
      assert.equal(publicPem(key), opensslPublicKey(source), name);
    }
  });

  test('encrypted PKCS#8: PBES2 (AES, SHA-512 PRF, scrypt), PKCS#12 PBE (3DES, 2DES, RC2-40), legacy PEM', () => {
    const rsa = keys.rsa!;
    const pw = ['-passout', 'pass:s3cret'];
    const cases: [string, Buffer][] = [
      ['pbes2 aes-256 pem', variant('e1.pem', ['pkcs8', '-topk8', '-in', rsa, '-v2', 'aes256', ...pw])],
      ['pbes2 aes-128 sha512 der', variant('e2.der', ['pkcs8', '-topk8', '-in', keys.ec!, '-v2', 'aes128', '-v2prf', 'hmacWithSHA512', '-outform', 'DER', ...pw])],
      ['pbes2 scrypt', variant('e3.pem', ['pkcs8', '-topk8', '-in', rsa, '-scrypt', ...pw])],
      ['pbes2 des3', variant('e4.pem', ['pkcs8', '-topk8', '-in', rsa, '-v2', 'des3', ...pw])],
      ['pkcs12 3des', variant('e5.pem', ['pkcs8', '-topk8', '-in', rsa, '-v1', 'PBE-SHA1-3DES', ...pw])],
      ['pkcs12 2des', variant('e6.pem', ['pkcs8', '-topk8', '-in', rsa, '-v1', 'PBE-SHA1-2DES', ...pw])],
      ['pkcs12 rc2-40 (legacy provider)', variant('e7.pem', ['pkcs8', '-topk8', '-in', keys.ed25519!, '-v1', 'PBE-SHA1-RC2-40', '-provider', 'legacy', '-provider', 'default', ...pw])],
      ['pkcs12 rc2-128', variant('e8.pem', ['pkcs8', '-topk8', '-in', rsa, '-v1', 'PBE-SHA1-RC2-128', '-provider', 'legacy', '-provider', 'default', ...pw])],
      ['legacy pem aes128', variant('e9.pem', ['rsa', '-in', rsa, '-traditional', '-aes128', ...pw])],
      ['legacy pem ec des3', variant('e10.pem', ['ec', '-in', keys.ec!, '-des3', ...pw])],
    ];
    for (const [name, data] of cases) {
      const key = loadPrivateKey(data, 's3cret');
      assert.equal(key.type, 'private', name);
      assert.equal(keyErrorCode(() => loadPrivateKey(data)), 'passphrase-required', name);
      for (const wrong of ['s3cret!', '', 'S3CRET']) assert.equal(keyErrorCode(() => loadPrivateKey(data, wrong)), 'bad-passphrase', `${name} / ${wrong}`);
    }
  });

  test('things that are not keys', () => {
    const cert = pki.root('notkey', { alg: 'ec' });
    assert.equal(keyErrorCode(() => loadPrivateKey(readFileSync(cert.certPath))), 'not-a-key');
    assert.match((() => { try { loadPrivateKey(readFileSync(cert.certPath)); } catch (e) { return (e as Error).message; } })() ?? '', /certificates but no private key/);
    assert.equal(keyErrorCode(() => loadPrivateKey(Buffer.from('hello world'))), 'not-a-key');
    assert.equal(keyErrorCode(() => loadPrivateKey(openssl(['x509', '-in', cert.certPath, '-outform', 'DER']))), 'not-a-key');
    const p12 = openssl(['pkcs12', '-export', '-inkey', cert.keyPath, '-in', cert.certPath, '-passout', 'pass:x']);
    assert.equal(keyErrorCode(() => loadPrivateKey(p12)), 'not-a-key');
    assert.equal(keyErrorCode(() => loadPrivateKey(Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'))), 'malformed');
  });
});
