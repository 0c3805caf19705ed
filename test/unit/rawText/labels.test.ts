// Lens and outline wording, checked on messages parsed by the core.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseMessage } from '../../../src/core/mime/parser';
import { layerStatus } from '../../../src/core/smime/layers';
import type { EnvelopedLayerReport, SecurityReport, SignedLayerReport, SignerReport } from '../../../src/core/smime/report';
import { isSavablePart } from '../../../src/core/mail';
import { encryptionTitle, formatSize, partDescription, signatureTitle, verdictTitle, MAX_VERDICT_CHARS } from '../../../src/extension/rawText/labels';

const CRLF = '\r\n';
const message = [
  'Content-Type: multipart/mixed; boundary="b"', '', '--b',
  'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: quoted-printable', '', 'Gr=C3=BC=C3=9Fe', '--b',
  'Content-Type: application/pdf; name="r.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0=', '--b--', '',
].join(CRLF);

function signer(status: SignerReport['status'], reasons: SignerReport['reasons'] = []): SignerReport {
  return { status, reasons, email: 'alice@example.com' } as SignerReport;
}

const PLACE = { path: '1', covers: '1.1', range: { start: 0, end: 1 }, source: 'file', depth: 0, coversMessage: true, reasons: [] };

/** A signed layer whose status the core's layerStatus sets, as analyzeMessage does. */
function layer(extra: Partial<SignedLayerReport>): SignedLayerReport {
  const draft = { ...PLACE, kind: 'signed' as const, form: 'detached' as const, checks: [], signers: [], canonicalized: false, ...extra };
  return { ...draft, status: layerStatus(draft) };
}

function encrypted(extra: Partial<EnvelopedLayerReport>): EnvelopedLayerReport {
  const draft = { ...PLACE, kind: 'enveloped' as const, decrypted: false, contentEncryption: '', recipients: [], ...extra };
  return { ...draft, status: layerStatus(draft) };
}

const NO_CERTIFICATES: SecurityReport['certificates'] = {};

test('part descriptions name type, encoding, charset, file name and body size', () => {
  const root = parseMessage(Buffer.from(message, 'latin1')).root;
  const [text, pdf] = root.children;
  assert.equal(partDescription(text), `text/plain · quoted-printable · utf-8 · ${Buffer.byteLength('Gr=C3=BC=C3=9Fe')} B`);
  assert.equal(partDescription(pdf), 'application/pdf · base64 · "r.pdf" · 8 B');
  assert.equal(isSavablePart(text), false);
  assert.equal(isSavablePart(pdf), true);
  assert.equal(isSavablePart(root), false);
});

test('signature titles say who signed and why a signature fails', () => {
  assert.equal(signatureTitle(layer({ signers: [signer('valid')] }), NO_CERTIFICATES), 'Signed by alice@example.com: valid');
  const digest = { code: 'digest-mismatch' as const, severity: 'error' as const, message: 'changed' };
  assert.equal(signatureTitle(layer({ signers: [signer('invalid', [digest])] }), NO_CERTIFICATES), 'Signature invalid: digest mismatch');
  const root = { code: 'untrusted-root' as const, severity: 'error' as const, message: 'untrusted' };
  assert.equal(signatureTitle(layer({ signers: [signer('valid'), signer('untrusted', [root])] }), NO_CERTIFICATES), 'Signed by alice@example.com, alice@example.com: untrusted (untrusted root)');
  assert.equal(signatureTitle(layer({ signers: [] }), NO_CERTIFICATES), 'Signature invalid: no signers');
  const malformed = { code: 'malformed' as const, severity: 'error' as const, message: 'bad' };
  assert.equal(signatureTitle(layer({ reasons: [malformed], signers: [signer('valid')] }), NO_CERTIFICATES), 'Signature invalid: malformed');
});

test('encryption titles and the verdict lens', () => {
  assert.equal(encryptionTitle(encrypted({ contentEncryption: 'AES-256-CBC', recipients: [{ type: 'ktri', keyEncryption: 'rsa', matchedKey: false }] })), 'Encrypted with AES-256-CBC for 1 recipient');
  assert.equal(encryptionTitle(encrypted({ contentEncryption: 'AES-128-GCM', decrypted: true })), 'Decrypted (AES-128-GCM)');
  const report = { verdict: 'valid', summary: 'Signed by alice@example.com: valid' } as SecurityReport;
  assert.equal(verdictTitle(report), '$(verified) Signed by alice@example.com: valid');
  const long = verdictTitle({ verdict: 'unsigned', summary: 'x'.repeat(200) } as SecurityReport);
  assert.equal(long.length, '$(circle-slash) '.length + MAX_VERDICT_CHARS);
  assert.ok(long.endsWith('…'));
  assert.equal(formatSize(1536), '1.5 KB');
  assert.equal(formatSize(3 * 1024 * 1024), '3.0 MB');
});
