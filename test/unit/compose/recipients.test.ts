/**
 * Finding recipient certificates (explicit, by file name, by the addresses certificates name) and harvesting
 * them from signed mail (only from signatures that verify; never silently replacing a different file).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFiles } from '../../../src/cli/nodeFiles';
import { ComposeError, resolveRecipients, saveSignerCertificates, signMessage } from '../../../src/core/smime/compose';
import type { Certificate } from '../../../src/core/x509/certificate';
import { certificatesIn, identityFrom } from '../../helpers/certFiles';
import { sharedTestPki, type TestPki, type UserName } from '../../helpers/pki';

let pki: TestPki;
let dir: string;
const cert = (name: UserName): Certificate => certificatesIn([pki.users[name].cert]).certs[0];

before(async () => {
  pki = await sharedTestPki();
  dir = mkdtempSync(join(tmpdir(), 'smime-recipients-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function folder(files: Record<string, UserName>): string {
  const d = mkdtempSync(join(dir, 'store-'));
  for (const [name, user] of Object.entries(files)) copyFileSync(pki.users[user].cert, join(d, name));
  return d;
}

describe('resolveRecipients', () => {
  test('by file name (case-insensitive, .pem/.crt/.cer/.der) and by the certificate\'s address', async () => {
    const d = folder({ 'Bob@Example.COM.PEM': 'bob', 'whatever.crt': 'bobec' });
    const r = await resolveRecipients(nodeFiles, { explicit: [], dir: d, addresses: ['bob@example.com', 'BobEC@example.com'] });
    assert.deepEqual(r.matches.map((m) => [m.address, m.certificate?.der.equals(cert(m.address === 'bob@example.com' ? 'bob' : 'bobec').der)]), [['bob@example.com', true], ['bobec@example.com', true]]);
    assert.equal(r.certificates.length, 2);
  });

  test('a file named after an address whose certificate does not name it is used with a warning', async () => {
    const d = folder({ 'bob@example.com.pem': 'mallory' });
    const r = await resolveRecipients(nodeFiles, { explicit: [], dir: d, addresses: ['bob@example.com'] });
    assert.ok(r.warnings.some((w) => w.code === 'recipient-address'));
  });

  test('with a folder, every address without a certificate is named and nothing resolves', async () => {
    const d = folder({ 'bob@example.com.pem': 'bob' });
    await assert.rejects(
      resolveRecipients(nodeFiles, { explicit: [], dir: d, addresses: ['bob@example.com', 'carol@example.com', 'dave@example.com'] }),
      (e: unknown) => e instanceof ComposeError && e.code === 'recipient-cert-missing' && /carol@example\.com, dave@example\.com/.test(e.message) && /--to CERT/.test(e.message),
    );
    // A caller without a command line (VS Code) names its own way of giving certificates.
    await assert.rejects(
      resolveRecipients(nodeFiles, { explicit: [], dir: d, addresses: ['carol@example.com'], names: { explicit: 'a chosen file', dir: 'smime.recipients.folder' } }),
      (e: unknown) => e instanceof ComposeError && /given with a chosen file/.test(e.message) && !/--/.test(e.message),
    );
  });

  test('explicit certificates cover their addresses; uncovered addresses warn without a folder', async () => {
    const r = await resolveRecipients(nodeFiles, { explicit: [cert('bob')], addresses: ['bob@example.com', 'carol@example.com'] });
    assert.equal(r.certificates.length, 1);
    assert.ok(r.warnings.some((w) => w.code === 'recipient-not-covered' && w.message.includes('carol@example.com')));
    await assert.rejects(resolveRecipients(nodeFiles, { explicit: [], addresses: ['bob@example.com'] }), ComposeError);
  });
});

describe('saveSignerCertificates', () => {
  function signedBy(name: UserName): Buffer {
    const user = pki.users[name];
    const id = identityFrom({ certPath: user.cert, keyPath: user.key });
    const input = Buffer.from(`From: ${user.email}\r\nTo: x@example.com\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain\r\n\r\nhi\r\n`);
    return signMessage({ input, signer: { ...id, chain: [] } }).message;
  }

  test('writes <address>.pem, then reports it unchanged; a different existing file is kept', async () => {
    const d = mkdtempSync(join(dir, 'harvest-'));
    const first = await saveSignerCertificates(nodeFiles, signedBy('alice'), d);
    assert.deepEqual(first.saved.map((s) => [s.address, s.status]), [['alice@example.com', 'written']]);
    assert.ok(certificatesIn([join(d, 'alice@example.com.pem')]).certs[0].der.equals(cert('alice').der));
    assert.equal((await saveSignerCertificates(nodeFiles, signedBy('alice'), d)).saved[0].status, 'unchanged');
    writeFileSync(join(d, 'bob@example.com.pem'), readFileSync(pki.users.mallory.cert));
    const refused = await saveSignerCertificates(nodeFiles, signedBy('bob'), d);
    assert.equal(refused.saved[0].status, 'refused');
    assert.ok(readFileSync(join(d, 'bob@example.com.pem')).equals(readFileSync(pki.users.mallory.cert)));
  });

  test('a signature that does not verify gives no certificate', async () => {
    const d = mkdtempSync(join(dir, 'harvest-'));
    const tampered = Buffer.from(signedBy('alice').toString('latin1').replace('\r\n\r\nhi\r\n', '\r\n\r\nho\r\n'), 'latin1');
    const result = await saveSignerCertificates(nodeFiles, tampered, d);
    assert.deepEqual(result.saved, []);
    assert.ok(result.skipped.some((s) => /does not verify/.test(s)));
    assert.ok(!existsSync(join(d, 'alice@example.com.pem')));
  });
});
