import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { certificatesFromBytes, crlsFromBytes, loadCertificates, loadCrls, systemAnchors } from '../../../src/core/x509/trustStore';
import { nodeFiles } from '../../../src/cli/nodeFiles';
import { CA_EXT, TestPki, hasOpenssl, openssl, type Issued } from './testPki';

describe('loading certificates and CRLs from files and folders', { skip: !hasOpenssl() && 'openssl not installed' }, () => {
  let pki: TestPki;
  let root: Issued;
  let inter: Issued;
  let leaf: Issued;
  let store: string;
  before(() => {
    pki = new TestPki();
    root = pki.root('root');
    inter = pki.issue('inter', root, { ext: CA_EXT });
    leaf = pki.issue('leaf', inter, { alg: 'ec' });
    pki.revoke(inter, leaf);
    const crl = pki.crl(inter);
    store = pki.path('store');
    mkdirSync(join(store, 'nested'), { recursive: true });
    writeFileSync(join(store, 'root.pem'), readFileSync(root.certPath));
    writeFileSync(join(store, 'inter.der'), openssl(['x509', '-in', inter.certPath, '-outform', 'DER']));
    writeFileSync(join(store, 'bundle.crt'), `subject=leaf\n${readFileSync(leaf.certPath, 'latin1')}junk between blocks\n${readFileSync(root.certPath, 'latin1')}`);
    writeFileSync(join(store, 'chain.p7b'), openssl(['crl2pkcs7', '-certfile', leaf.certPath, '-certfile', inter.certPath, '-in', crl.path, '-outform', 'DER']));
    writeFileSync(join(store, 'inter.crl'), openssl(['crl', '-in', crl.path, '-outform', 'DER']));
    writeFileSync(join(store, 'inter-crl.pem'), readFileSync(crl.path));
    writeFileSync(join(store, 'broken.cer'), 'not a certificate');
    writeFileSync(join(store, 'notes.txt'), 'ignored: not a certificate extension');
    writeFileSync(join(store, 'nested', 'deep.pem'), readFileSync(leaf.certPath));
  });
  after(() => pki.cleanup());

  test('a folder: PEM, DER, bundles and PKCS#7, de-duplicated, one level deep; broken files are reported', async () => {
    const { certs, problems } = await loadCertificates(nodeFiles, [store]);
    const subjects = certs.map((c) => c.subject.text).sort();
    assert.deepEqual(subjects, ['CN=inter', 'CN=leaf', 'CN=root']);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /broken\.cer: not a certificate/);
  });

  test('CRLs from DER, PEM and PKCS#7 in a folder; certificate files are not problems there', async () => {
    const { crls, problems } = await loadCrls(nodeFiles, [store]);
    assert.deepEqual(problems, []);
    assert.equal(crls.length, 2, 'inter.crl and inter-crl.pem (.p7b is not a CRL extension)');
    assert.ok(crls.every((c) => c.entryFor(leaf.cert.serialHex)?.reason === 'keyCompromise'));
    const fromP7 = crlsFromBytes(readFileSync(join(store, 'chain.p7b')));
    assert.equal(fromP7.crls.length, 1);
  });

  test('single files and missing paths', async () => {
    const r = await loadCertificates(nodeFiles, [join(store, 'bundle.crt'), join(store, 'missing.pem')]);
    assert.deepEqual(r.certs.map((c) => c.subject.text), ['CN=leaf', 'CN=root']);
    assert.match(r.problems.join('\n'), /missing\.pem: not found/);
    const explicitCrl = await loadCrls(nodeFiles, [root.certPath]);
    assert.match(explicitCrl.problems.join('\n'), /no X509 CRL block/);
  });

  test('PEM holding a key and a certificate, and PEM with no certificate', () => {
    const combined = Buffer.concat([readFileSync(leaf.keyPath), readFileSync(leaf.certPath)]);
    assert.equal(certificatesFromBytes(combined).certs[0].serialHex, leaf.cert.serialHex);
    assert.match(certificatesFromBytes(readFileSync(leaf.keyPath), 'key.pem').problems[0], /key\.pem: no CERTIFICATE block/);
  });

  test('systemAnchors parses every root Node ships', () => {
    const anchors = systemAnchors();
    assert.equal(anchors.length, rootCertificates.length);
    assert.ok(anchors.length > 50);
    assert.ok(anchors.every((a) => a.isSelfIssued || a.subject.text.length > 0));
  });
});
