/**
 * The core's loaders read only through the adapter they are given: here one that holds files in memory, under
 * paths that exist on no disk. Covers the rules the loaders keep whatever the adapter: folder order by name,
 * extension filter, one level, the size cap checked before reading, problems reported as data, and a saved
 * recipient certificate never replacing a different one.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { loadIdentity, KeyError } from '../../../src/core/keys';
import { resolveRecipients, saveSignerCertificates, signMessage, ComposeError } from '../../../src/core/smime/compose';
import { loadCertificates, loadCrls, MAX_STORE_FILE_BYTES } from '../../../src/core/x509/trustStore';
import { certificatesIn, identityFrom } from '../../helpers/certFiles';
import { MemoryFiles } from '../../helpers/memoryFiles';
import { sharedTestPki, type TestPki, type UserName } from '../../helpers/pki';

let pki: TestPki;
const pem = (name: UserName) => readFileSync(pki.users[name].cert);

before(async () => {
  pki = await sharedTestPki();
  assert.ok(!existsSync('/in-memory'), 'the paths below must exist on no disk');
});

describe('trust stores through an in-memory adapter', () => {
  test('a folder: certificate files by name order, other extensions and subfolders skipped, broken files reported', async () => {
    const files = new MemoryFiles({
      '/in-memory/anchors/b-root.PEM': readFileSync(pki.root.cert),
      '/in-memory/anchors/a-inter.crt': readFileSync(pki.inter.cert),
      '/in-memory/anchors/notes.txt': 'not read: not a certificate extension',
      '/in-memory/anchors/nested/deep.pem': pem('alice'),
      '/in-memory/anchors/z-broken.cer': 'not a certificate',
    });
    const { certs, problems } = await loadCertificates(files, ['/in-memory/anchors']);
    // a-inter.crt before b-root.PEM: name order, not the order the adapter lists them in.
    assert.deepEqual(certs.map((c) => c.der), [...certificatesIn([pki.inter.cert]).certs, ...certificatesIn([pki.root.cert]).certs].map((c) => c.der));
    assert.deepEqual(problems, ['/in-memory/anchors/z-broken.cer: not a certificate']);
    assert.deepEqual(files.reads, ['/in-memory/anchors/a-inter.crt', '/in-memory/anchors/b-root.PEM', '/in-memory/anchors/z-broken.cer']);
  });

  test('a file over the size cap is skipped without being read; missing and unreadable paths are problems', async () => {
    const files = new MemoryFiles({ '/in-memory/big.pem': readFileSync(pki.root.cert), '/in-memory/locked.pem': readFileSync(pki.root.cert) });
    files.sizes.set('/in-memory/big.pem', MAX_STORE_FILE_BYTES + 1);
    files.unreadable.add('/in-memory/locked.pem');
    const { certs, problems } = await loadCertificates(files, ['/in-memory/big.pem', '/in-memory/missing.pem', '/in-memory/locked.pem']);
    assert.deepEqual(certs, []);
    assert.deepEqual(problems, [
      '/in-memory/missing.pem: not found',
      `/in-memory/big.pem: larger than ${MAX_STORE_FILE_BYTES} bytes, skipped`,
      '/in-memory/locked.pem: NoPermissions',
    ]);
    assert.deepEqual(files.reads, ['/in-memory/locked.pem']);
  });

  test('CRLs', async () => {
    const files = new MemoryFiles({ '/in-memory/crls/inter.crl': readFileSync(pki.inter.crl), '/in-memory/crls/root.pem': readFileSync(pki.root.cert) });
    const { crls, problems } = await loadCrls(files, ['/in-memory/crls']);
    assert.equal(crls.length, 1);
    // In a folder a certificate file is not a problem (folders may mix both kinds).
    assert.deepEqual(problems, []);
  });
});

describe('identities and recipients through an in-memory adapter', () => {
  test('an identity from key and certificate bytes held in memory; an unreadable file is a KeyError "io"', async () => {
    const files = new MemoryFiles({ '/in-memory/alice.key': readFileSync(pki.users.alice.key), '/in-memory/alice.pem': pem('alice') });
    const id = await loadIdentity(files, { keyPath: '/in-memory/alice.key', certPath: '/in-memory/alice.pem' });
    assert.ok(id.certificate.der.equals(identityFrom({ certPath: pki.users.alice.cert, keyPath: pki.users.alice.key }).certificate.der));
    await assert.rejects(loadIdentity(files, { p12Path: '/in-memory/none.p12' }), (e: unknown) => e instanceof KeyError && e.code === 'io' && /none\.p12: FileNotFound/.test(e.message));
  });

  test('recipients by file name and by the address a certificate names; a missing one refuses', async () => {
    const files = new MemoryFiles({ '/in-memory/recipients/Bob@Example.com.pem': pem('bob'), '/in-memory/recipients/someone.crt': pem('bobec') });
    const r = await resolveRecipients(files, { explicit: [], dir: '/in-memory/recipients', addresses: ['bob@example.com', 'bobec@example.com'] });
    assert.deepEqual(r.matches.map((m) => [m.address, m.source]), [['bob@example.com', '/in-memory/recipients/Bob@Example.com.pem'], ['bobec@example.com', '/in-memory/recipients']]);
    await assert.rejects(
      resolveRecipients(files, { explicit: [], dir: '/in-memory/recipients', addresses: ['carol@example.com'] }),
      (e: unknown) => e instanceof ComposeError && e.code === 'recipient-cert-missing',
    );
    await assert.rejects(resolveRecipients(files, { explicit: [], dir: '/in-memory/nowhere', addresses: ['bob@example.com'] }), /cannot read the recipients folder \/in-memory\/nowhere/);
  });

  test('saving signer certificates: written once, unchanged after, and a file that appears meanwhile is not replaced', async () => {
    const alice = identityFrom({ certPath: pki.users.alice.cert, keyPath: pki.users.alice.key });
    const input = Buffer.from(`From: alice@example.com\r\nTo: x@example.com\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain\r\n\r\nhi\r\n`);
    const signed = signMessage({ input, signer: { ...alice, chain: [] } }).message;
    const files = new MemoryFiles();
    files.folders.add('/in-memory/recipients');
    const first = await saveSignerCertificates(files, signed, '/in-memory/recipients');
    assert.deepEqual(first.saved.map((s) => [s.path, s.status]), [['/in-memory/recipients/alice@example.com.pem', 'written']]);
    assert.ok(files.files.get('/in-memory/recipients/alice@example.com.pem')?.equals(Buffer.from(alice.certificate.toPem(), 'latin1')));
    assert.equal((await saveSignerCertificates(files, signed, '/in-memory/recipients')).saved[0].status, 'unchanged');

    const racing = new MemoryFiles();
    racing.folders.add('/in-memory/r2');
    racing.beforeWrite = (path) => racing.files.set(path, pem('mallory'));
    const raced = await saveSignerCertificates(racing, signed, '/in-memory/r2');
    assert.equal(raced.saved[0].status, 'refused');
    assert.ok(racing.files.get('/in-memory/r2/alice@example.com.pem')?.equals(pem('mallory')));
    await assert.rejects(saveSignerCertificates(files, signed, '/in-memory/missing'), /is not a folder/);

    const locked = new MemoryFiles({ '/in-memory/r3/ALICE@example.com.pem': pem('mallory') });
    locked.unreadable.add('/in-memory/r3/ALICE@example.com.pem');
    const kept = await saveSignerCertificates(locked, signed, '/in-memory/r3');
    assert.deepEqual(kept.saved.map((s) => [s.path, s.status]), [['/in-memory/r3/ALICE@example.com.pem', 'refused']]);
    assert.ok(locked.files.get('/in-memory/r3/ALICE@example.com.pem')?.equals(pem('mallory')));
  });
});
