import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPkcs12, pkcs12Kdf, pkcs12PasswordBytes, publicKeysMatch } from '../../../src/core/keys';
import { certificatesFromBytes } from '../../../src/core/x509/trustStore';
import { parseDer } from '../../../src/core/asn1/der';
import { CA_EXT, TestPki, hasOpenssl, openssl, type Issued } from '../x509/testPki';
import { keyErrorCode } from './keyErrorCode';


describe('PKCS#12 key derivation (RFC 7292 B.2) against openssl kdf PKCS12KDF', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  test('ids 1-3, SHA-1/256/512, short and long output, empty salt', () => {
    const cases: [string, string, number, number, number, 'sha1' | 'sha256' | 'sha512'][] = [
      ['secret', '0102030405060708', 1, 2048, 24, 'sha1'],
      ['secret', '0102030405060708', 2, 2048, 8, 'sha1'],
      ['pässwörd', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 3, 1, 32, 'sha256'],
      ['x', 'ff', 1, 3, 100, 'sha512'],
      ['', '00112233', 3, 10, 20, 'sha1'],
    ];
    for (const [password, salt, id, iter, length, digest] of cases) {
      const pass = pkcs12PasswordBytes(password);
      const theirs = openssl(['kdf', '-keylen', String(length), '-kdfopt', `digest:${digest.toUpperCase()}`, '-kdfopt', `hexpass:${pass.toString('hex')}`,
        '-kdfopt', `hexsalt:${salt}`, '-kdfopt', `iter:${iter}`, '-kdfopt', `id:${id}`, 'PKCS12KDF']).toString().trim().replace(/:/g, '').toLowerCase();
      assert.equal(pkcs12Kdf(pass, Buffer.from(salt, 'hex'), id, iter, length, digest).toString('hex'), theirs, `${password}/${id}/${digest}`);
    }
  });
});

describe('loadPkcs12 on files written by openssl pkcs12 -export', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  let pki: TestPki;
  let root: Issued;
  let inter: Issued;
  let rsaLeaf: Issued;
  let ecLeaf: Issued;
  let edLeaf: Issued;
  before(() => {
    pki = new TestPki();
    root = pki.root('root');
    inter = pki.issue('inter', root, { ext: CA_EXT });
    rsaLeaf = pki.issue('rsa', inter);
    ecLeaf = pki.issue('ec', inter, { alg: 'ec' });
    edLeaf = pki.issue('ed', inter, { alg: 'ed25519' });
  });
  after(() => pki.cleanup());

  let n = 0;
  const exportP12 = (leaf: Issued, password: string, extra: string[] = [], chain = true) => {
    const out = pki.path(`p${++n}.p12`);
    // The extra certificates, root first, so the reader has to put them in issuer order.
    const certfile = pki.path(`chain${n}.pem`);
    writeFileSync(certfile, root.cert.toPem() + inter.cert.toPem());
    openssl(['pkcs12', '-export', '-inkey', leaf.keyPath, '-in', leaf.certPath, '-name', `${leaf.name} friendly`, '-passout', `pass:${password}`, '-out', out,
      ...(chain ? ['-certfile', certfile] : []), ...extra]);
    return readFileSync(out);
  };

  const expectIdentity = (data: Buffer, password: string, leaf: Issued, chain: Issued[]) => {
    const p12 = loadPkcs12(data, password);
    assert.ok(p12.privateKey);
    assert.equal(p12.certificate?.der.toString('base64'), leaf.cert.der.toString('base64'));
    assert.equal(publicKeysMatch(p12.privateKey, leaf.cert), true);
    assert.deepEqual(p12.chain.map((c) => c.subject.text), chain.map((c) => c.cert.subject.text));
    assert.equal(p12.friendlyName, `${leaf.name} friendly`);
    assert.deepEqual(p12.warnings, []);
    return p12;
  };

  test('OpenSSL 3 default (PBES2 AES-256-CBC, PBKDF2-SHA256, SHA-256 MAC) for RSA, EC and Ed25519 keys', () => {
    for (const leaf of [rsaLeaf, ecLeaf, edLeaf]) expectIdentity(exportP12(leaf, 'pw'), 'pw', leaf, [inter, root]);
  });

  test('-legacy (3DES key bag, RC2-40 certificates, SHA-1 MAC) and other PKCS#12 PBE schemes', () => {
    expectIdentity(exportP12(rsaLeaf, 'legacy', ['-legacy']), 'legacy', rsaLeaf, [inter, root]);
    expectIdentity(exportP12(ecLeaf, 'legacy', ['-legacy', '-certpbe', 'PBE-SHA1-RC2-128', '-keypbe', 'PBE-SHA1-2DES']), 'legacy', ecLeaf, [inter, root]);
    expectIdentity(exportP12(rsaLeaf, 'x', ['-keypbe', 'AES-128-CBC', '-certpbe', 'DES-EDE3-CBC', '-macalg', 'sha512', '-iter', '1000']), 'x', rsaLeaf, [inter, root]);
  });

  test('unencrypted bags, no MAC, empty and non-ASCII passwords', () => {
    expectIdentity(exportP12(rsaLeaf, 'plain', ['-keypbe', 'NONE', '-certpbe', 'NONE']), 'plain', rsaLeaf, [inter, root]);
    const noMac = exportP12(ecLeaf, 'nomac', ['-nomac']);
    expectIdentity(noMac, 'nomac', ecLeaf, [inter, root]);
    assert.equal(keyErrorCode(() => loadPkcs12(noMac, 'wrong')), 'bad-passphrase');
    expectIdentity(exportP12(rsaLeaf, ''), '', rsaLeaf, [inter, root]);
    expectIdentity(exportP12(rsaLeaf, '', ['-legacy']), '', rsaLeaf, [inter, root]);
    expectIdentity(exportP12(edLeaf, 'pässwörd €', ['-legacy']), 'pässwörd €', edLeaf, [inter, root]);
    expectIdentity(exportP12(edLeaf, 'pässwörd €'), 'pässwörd €', edLeaf, [inter, root]);
  });

  test('without a MAC, every wrong passphrase is bad-passphrase, also when the key decrypts to garbage with valid padding', () => {
    // A wrong key gives valid CBC padding about once in 256 tries; 1500 tries (one PBKDF2 iteration each) meet that
    // case several times over (missing it every time: about 0.3%).
    // -iter before -nomac: a later -iter would turn the MAC back on.
    const noMac = exportP12(ecLeaf, 'right', ['-iter', '1', '-nomac']);
    assert.equal(parseDer(noMac).children.length, 2, 'no MacData');
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 1500; i++) {
      const code = keyErrorCode(() => loadPkcs12(noMac, `wrong-${i}`));
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    }
    assert.deepEqual([...outcomes], [['bad-passphrase', 1500]]);
    expectIdentity(noMac, 'right', ecLeaf, [inter, root]);
  });

  test('wrong passphrase, certificates only, truncated and foreign input', () => {
    const p12 = exportP12(rsaLeaf, 'right');
    for (const wrong of ['wrong', '', 'right ']) assert.equal(keyErrorCode(() => loadPkcs12(p12, wrong)), 'bad-passphrase');
    const certsOnly = pki.path('certs.p12');
    openssl(['pkcs12', '-export', '-nokeys', '-in', rsaLeaf.certPath, '-passout', 'pass:c', '-out', certsOnly]);
    const onlyCerts = loadPkcs12(readFileSync(certsOnly), 'c');
    assert.equal(onlyCerts.privateKey, undefined);
    assert.equal(onlyCerts.certificate?.subject.text, 'CN=rsa');
    assert.equal(keyErrorCode(() => loadPkcs12(p12.subarray(0, p12.length - 40), 'right')), 'malformed');
    assert.equal(keyErrorCode(() => loadPkcs12(readFileSync(rsaLeaf.keyPath), 'right')), 'malformed');
  });
});

const corpus = process.env.SMIME_CORPUS ?? join(process.cwd(), '../shared/corpus');

function findKeyFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findKeyFiles(path, out);
    else if (/\.(p12|pfx)$/.test(name)) out.push(path);
  }
  return out;
}

test('every corpus PKCS#12 file loads; key and certificate agree with openssl pkcs12', (t) => {
  if (!existsSync(corpus)) return t.skip('corpus not present');
  if (!hasOpenssl()) return t.skip('openssl not installed');
  const files = findKeyFiles(corpus);
  assert.ok(files.length >= 20, `${files.length} files`);
  for (const file of files) {
    const password = file.includes('/mimekit/') ? 'no.secret' : 'nss';
    const p12 = loadPkcs12(readFileSync(file), password);
    assert.ok(p12.privateKey && p12.certificate, file);
    assert.equal(publicKeysMatch(p12.privateKey, p12.certificate), true, file);
    const leaf = openssl(['pkcs12', '-in', file, '-passin', `pass:${password}`, '-legacy', '-nokeys', '-clcerts']);
    const all = openssl(['pkcs12', '-in', file, '-passin', `pass:${password}`, '-legacy', '-nokeys']);
    assert.equal(p12.certificate.der.toString('hex'), certificatesFromBytes(leaf).certs[0].der.toString('hex'), file);
    assert.equal(p12.chain.length + 1, certificatesFromBytes(all).certs.length, file);
    assert.equal(keyErrorCode(() => loadPkcs12(readFileSync(file), 'not the password')), 'bad-passphrase', file);
  }
});
