import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadIdentity, parseIdentity, publicKeysMatch } from '../../../src/core/keys';
import { nodeFiles } from '../../../src/cli/nodeFiles';
import { CA_EXT, TestPki, hasOpenssl, openssl, type Issued } from '../x509/testPki';
import { keyErrorCode, keyErrorCodeAsync } from './keyErrorCode';


describe('identities from PKCS#12 or certificate + key files', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  let pki: TestPki;
  let root: Issued;
  let inter: Issued;
  let leaf: Issued;
  let other: Issued;
  before(() => {
    pki = new TestPki();
    root = pki.root('root', { alg: 'ec' });
    inter = pki.issue('inter', root, { ext: CA_EXT, alg: 'ec' });
    leaf = pki.issue('leaf', inter);
    other = pki.issue('other', inter, { alg: 'ec' });
  });
  after(() => pki.cleanup());

  test('cert + key files; the matching certificate is picked from a bundle, the rest ordered as chain', async () => {
    const bundle = pki.path('bundle.pem');
    writeFileSync(bundle, root.cert.toPem() + other.cert.toPem() + leaf.cert.toPem() + inter.cert.toPem());
    const id = await loadIdentity(nodeFiles, { certPath: bundle, keyPath: leaf.keyPath });
    assert.equal(id.certificate.serialHex, leaf.cert.serialHex);
    assert.deepEqual(id.chain.map((c) => c.subject.text), ['CN=inter', 'CN=root', 'CN=other']);
    const pub = createPublicKey(id.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    assert.equal(pub, openssl(['pkey', '-in', leaf.keyPath, '-pubout']).toString());
  });

  test('one PEM file holding both, encrypted key with passphrase', () => {
    const encrypted = openssl(['pkcs8', '-topk8', '-in', leaf.keyPath, '-v2', 'aes256', '-passout', 'pass:pp']);
    const combined = Buffer.concat([encrypted, readFileSync(leaf.certPath)]);
    const id = parseIdentity({ cert: combined, passphrase: 'pp' });
    assert.equal(publicKeysMatch(id.privateKey, leaf.cert), true);
    assert.equal(keyErrorCode(() => parseIdentity({ key: combined })), 'passphrase-required');
    assert.equal(keyErrorCode(() => parseIdentity({ key: combined, passphrase: 'nope' })), 'bad-passphrase');
  });

  test('PKCS#12, with and without a passphrase', async () => {
    const protectedP12 = openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-certfile', inter.certPath, '-passout', 'pass:pw']);
    const id = parseIdentity({ p12: protectedP12, passphrase: 'pw' });
    assert.equal(id.certificate.serialHex, leaf.cert.serialHex);
    assert.deepEqual(id.chain.map((c) => c.subject.text), ['CN=inter']);
    assert.equal(keyErrorCode(() => parseIdentity({ p12: protectedP12 })), 'passphrase-required');
    assert.equal(keyErrorCode(() => parseIdentity({ p12: protectedP12, passphrase: 'bad' })), 'bad-passphrase');
    const openP12 = openssl(['pkcs12', '-export', '-inkey', other.keyPath, '-in', other.certPath, '-passout', 'pass:']);
    assert.equal(parseIdentity({ p12: openP12 }).certificate.serialHex, other.cert.serialHex);
    const p12Path = pki.path('id.p12');
    writeFileSync(p12Path, protectedP12);
    assert.equal((await loadIdentity(nodeFiles, { p12Path, passphrase: 'pw' })).certificate.serialHex, leaf.cert.serialHex);
  });

  test('a key is paired with its certificate for every kind of key, and never with another key of the same kind', () => {
    const kinds = ['rsa', 'ec', 'ec384', 'ed25519', 'rsa-pss'] as const;
    const pairs = kinds.map((alg) => [pki.issue(`${alg}-a`, inter, { alg }), pki.issue(`${alg}-b`, inter, { alg })]);
    for (const [i, [a, b]] of pairs.entries()) {
      const key = parseIdentity({ key: readFileSync(a.keyPath), cert: readFileSync(a.certPath) }).privateKey;
      const fresh = () => parseIdentity({ key: readFileSync(a.keyPath), cert: readFileSync(a.certPath) }).privateKey;
      assert.equal(publicKeysMatch(fresh(), a.cert), true, kinds[i]);
      assert.equal(publicKeysMatch(fresh(), b.cert), false, `${kinds[i]}: another key of the same kind`);
      for (const [j, [c]] of pairs.entries()) if (j !== i) assert.equal(publicKeysMatch(key, c.cert), false, `${kinds[i]} against ${kinds[j]}`);
      // OpenSSL agrees: the certificate's public key is the key's.
      assert.equal(openssl(['x509', '-in', a.certPath, '-noout', '-pubkey']).toString(), openssl(['pkey', '-in', a.keyPath, '-pubout']).toString());
    }
  });

  test('mismatches and missing pieces', async () => {
    assert.equal(await keyErrorCodeAsync(loadIdentity(nodeFiles, { certPath: other.certPath, keyPath: leaf.keyPath })), 'key-mismatch');
    assert.equal(await keyErrorCodeAsync(loadIdentity(nodeFiles, { keyPath: leaf.keyPath })), 'no-certificate');
    assert.equal(await keyErrorCodeAsync(loadIdentity(nodeFiles, { certPath: leaf.certPath })), 'not-a-key');
    assert.equal(await keyErrorCodeAsync(loadIdentity(nodeFiles, {})), 'no-key');
    assert.equal(await keyErrorCodeAsync(loadIdentity(nodeFiles, { p12Path: pki.path('missing.p12') })), 'io');
    const certsOnly = openssl(['pkcs12', '-export', '-nokeys', '-in', leaf.certPath, '-passout', 'pass:c']);
    assert.equal(keyErrorCode(() => parseIdentity({ p12: certsOnly, passphrase: 'c' })), 'no-key');
  });
});
