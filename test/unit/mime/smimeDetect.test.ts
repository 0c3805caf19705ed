import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMessage, smimeKindOf, entityBytes, decodeBody, findEntity } from '../../../src/core/mime/index';
import { crlf, lf } from './mimeTestUtil';

function signedMessage(protocol: string, secondType: string, extraPart = ''): Buffer {
  return crlf(`Content-Type: multipart/signed; protocol="${protocol}"; micalg=SHA-256; boundary=s

--s
Content-Type: text/plain

hi
--s
Content-Type: ${secondType}

AAAA
${extraPart}--s--
`);
}

test('multipart/signed with PKCS#7 protocols, x- or not, and its protocol check', () => {
  for (const protocol of ['application/pkcs7-signature', 'application/x-pkcs7-signature', 'Application/X-PKCS7-Signature']) {
    const kind = smimeKindOf(parseMessage(signedMessage(protocol, 'application/pkcs7-signature')).root);
    assert.deepEqual(kind, { kind: 'multipart-signed', protocol: protocol.toLowerCase(), micalg: 'sha-256', protocolOk: true });
  }
  const wrongPart = smimeKindOf(parseMessage(signedMessage('application/pkcs7-signature', 'text/plain')).root);
  assert.deepEqual(wrongPart, { kind: 'multipart-signed', protocol: 'application/pkcs7-signature', micalg: 'sha-256', protocolOk: false });
  const threeParts = smimeKindOf(parseMessage(signedMessage('application/pkcs7-signature', 'application/pkcs7-signature', '--s\nContent-Type: text/plain\n\nextra\n')).root);
  assert.equal(threeParts?.kind === 'multipart-signed' && threeParts.protocolOk, false);
  const noProtocol = smimeKindOf(parseMessage(crlf('Content-Type: multipart/signed; boundary=s\n\n--s\n\nhi\n--s\nContent-Type: application/x-pkcs7-signature\n\nAAAA\n--s--\n')).root);
  assert.deepEqual(noProtocol, { kind: 'multipart-signed', protocol: '', protocolOk: false });
});

test('PGP/MIME and other multipart/signed are "other-signed"', () => {
  const pgp = smimeKindOf(parseMessage(signedMessage('application/pgp-signature', 'application/pgp-signature')).root);
  assert.deepEqual(pgp, { kind: 'other-signed', protocol: 'application/pgp-signature', micalg: 'sha-256' });
});

test('application/(x-)pkcs7-mime with and without smime-type, lone signatures, and .p7m/.p7s/.p7c octet-streams', () => {
  const kindOf = (headers: string) => smimeKindOf(parseMessage(crlf(`${headers}\n\nAAAA\n`)).root);
  assert.deepEqual(kindOf('Content-Type: application/pkcs7-mime; smime-type=Enveloped-Data; name=smime.p7m'), { kind: 'pkcs7-mime', smimeType: 'enveloped-data' });
  assert.deepEqual(kindOf('Content-Type: application/x-pkcs7-mime; smime-type="signed-data"'), { kind: 'pkcs7-mime', smimeType: 'signed-data' });
  assert.deepEqual(kindOf('Content-Type: application/x-pkcs7-mime'), { kind: 'pkcs7-mime' });
  assert.deepEqual(kindOf('Content-Type: application/x-pkcs7-signature'), { kind: 'pkcs7-signature' });
  assert.deepEqual(kindOf('Content-Type: application/octet-stream\nContent-Disposition: attachment; filename="SMIME.P7M"'), { kind: 'pkcs7-mime' });
  assert.deepEqual(kindOf('Content-Type: application/octet-stream; name=smime.p7s'), { kind: 'pkcs7-signature' });
  assert.deepEqual(kindOf('Content-Type: application/octet-stream; name=certs.p7c'), { kind: 'pkcs7-mime', smimeType: 'certs-only' });
  assert.equal(kindOf('Content-Type: application/octet-stream; name=file.bin'), undefined);
  assert.equal(kindOf('Content-Type: text/plain'), undefined);
  assert.equal(kindOf('Subject: no content type'), undefined);
});

test('an OpenSSL-signed message: the first part bytes verify in OpenSSL, as CRLF and after LF conversion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mime-smime-'));
  try {
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-subj', '/CN=signer', '-days', '2']);
    writeFileSync(join(dir, 'content.txt'), crlf('Content-Type: text/plain; charset=utf-8\n\nSigned body line one.\nline two with trailing newline\n'));
    run(['cms', '-sign', '-in', 'content.txt', '-binary', '-signer', 'cert.pem', '-inkey', 'key.pem', '-md', 'sha256', '-out', 'signed.eml']);
    const signed = readFileSync(join(dir, 'signed.eml'));
    for (const [label, input] of [['as written', signed], ['crlf', crlf(signed.toString('latin1'))], ['lf', lf(signed.toString('latin1'))]] as const) {
      const msg = parseMessage(input);
      const kind = smimeKindOf(msg.root);
      assert.equal(kind?.kind, 'multipart-signed', label);
      const content = entityBytes(findEntity(msg.root, '1.1')!);
      const canonical = msg.lineEndings === 'lf' ? crlf(content.toString('latin1')) : content;
      assert.ok(canonical.equals(readFileSync(join(dir, 'content.txt'))), `${label}: first part is the signed content`);
      writeFileSync(join(dir, 'part.bin'), canonical);
      writeFileSync(join(dir, 'sig.der'), decodeBody(findEntity(msg.root, '1.2')!).data);
      run(['cms', '-verify', '-binary', '-noverify', '-inform', 'DER', '-in', 'sig.der', '-content', 'part.bin', '-out', 'out.bin']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
