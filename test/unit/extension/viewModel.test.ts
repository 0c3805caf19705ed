/**
 * The editor's view model on messages OpenSSL signs and encrypts at test time: the banner, the checklist, the
 * coverage marks, the bodies and the certificates a user would see.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateIndex } from '../../../src/extension/view/certificateView';
import { buildViewModel } from '../../../src/extension/viewModel';
import type { MessageView, PartView } from '../../../src/shared/protocol';
import { analyzed, HTML_MARKER, sampleMessages, type SampleMessages } from './sampleMessages';

let s: SampleMessages;
const NONCE = 'testnonce123';

function view(message: Buffer, trust = s.trust, extra: Partial<Parameters<typeof buildViewModel>[1]> = {}): MessageView {
  return buildViewModel(analyzed(message, trust), { fileName: 'mail.eml', styleNonce: NONCE, ...extra });
}

function parts(p: PartView): PartView[] {
  return [p, ...p.children.flatMap(parts)];
}

before(async () => {
  s = await sampleMessages();
});

describe('view model: valid signed HTML mail', () => {
  test('the banner says valid, signed by Alice with her address and the signing time', () => {
    const v = view(s.valid);
    assert.equal(v.summary.verdict, 'valid');
    assert.equal(v.summary.tone, 'ok');
    assert.equal(v.summary.icon, 'verified-filled');
    assert.equal(v.summary.signedBy.length, 1);
    assert.match(v.summary.signedBy[0], /^Signed by Alice Example <alice@example\.com> on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    assert.equal(v.summary.encryption, undefined);
    assert.equal(v.subject, 'Quarterly numbers');
  });

  test('the checklist lists every signer check with its RFC clause, all passing but revocation (no CRLs)', () => {
    const v = view(s.valid);
    const checks = v.layers[0].signers[0].checks;
    const byId = new Map(checks.map((c) => [c.id, c]));
    for (const id of ['digest', 'signature', 'chain', 'trust-anchor', 'validity', 'key-usage', 'ext-key-usage', 'sender', 'algorithm']) {
      assert.equal(byId.get(id)?.status, 'pass', `${id}: ${byId.get(id)?.detail}`);
      assert.ok(byId.get(id)?.rfc, `${id} cites a clause`);
    }
    assert.equal(byId.get('revocation')?.status, 'skip');
    assert.equal(byId.get('digest')?.label, 'Content digest');
  });

  test('every part under the signature is marked signed; the signature part too', () => {
    const v = view(s.valid);
    assert.equal(v.tree.mimeType, 'multipart/signed');
    for (const p of parts(v.tree)) assert.equal(p.coverage, 'signed', `${p.id} ${p.mimeType}`);
    assert.ok(parts(v.tree).every((p) => p.tone === 'ok'));
  });

  test('the HTML alternative is shown, sanitised, with the cid image inlined and remote references counted', () => {
    const v = view(s.valid);
    assert.equal(v.bodies.length, 1);
    const body = v.bodies[0];
    assert.equal(body.kind, 'html');
    if (body.kind !== 'html') return;
    assert.ok(body.srcdoc.includes(HTML_MARKER));
    assert.ok(!/evil\.example/.test(body.srcdoc), 'no remote URL survives');
    assert.ok(!/<script/i.test(body.srcdoc));
    assert.ok(!/onload/i.test(body.srcdoc));
    assert.match(body.srcdoc, /<img src="data:image\/png;base64,iVBOR/);
    assert.match(body.srcdoc, /^<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:;/);
    assert.ok(body.remoteCount >= 5, `remoteCount ${body.remoteCount}`);
    assert.equal(body.remoteAllowed, false);
    assert.equal(body.remoteForbidden, undefined);
  });

  test('the attachment is listed (the inline cid image is not) and certificates of the chain are there', () => {
    const v = view(s.valid);
    assert.deepEqual(v.attachments.map((a) => a.filename), ['../../etc/passwd']);
    assert.equal(v.attachments[0].coverage, 'signed');
    const roles = v.certificates.map((c) => c.role);
    assert.ok(roles.includes('signer') && roles.includes('intermediate') && roles.includes('root'), roles.join());
    const signer = v.certificates.find((c) => c.role === 'signer');
    assert.equal(signer?.title, 'Alice Example');
    assert.ok(signer?.fields.some((f) => f.label === 'Extended key usage' && /emailProtection|E-mail/i.test(f.value)));
    assert.deepEqual(v.layers[0].signers[0].chain[0], signer?.id);
  });

  test('certificates come from the report\'s registry: no certificate bytes in the view, the host maps ids back', () => {
    const result = analyzed(s.valid, s.trust);
    const v = buildViewModel(result, { fileName: 'mail.eml', styleNonce: NONCE });
    assert.ok(!JSON.stringify(v).includes('BEGIN CERTIFICATE'), 'no PEM reaches the webview');
    assert.deepEqual(v.certificates.map((c) => c.id).sort(), Object.keys(result.report.certificates).sort());
    const index = certificateIndex(result);
    for (const c of v.certificates) {
      assert.equal(index.get(c.id)?.certificate.fingerprint('sha256'), c.id);
      assert.equal(index.get(c.id)?.role, c.role);
    }
  });

  test('remote images load only when the user allowed them for this message', () => {
    const v = view(s.valid, s.trust, { allowRemote: true });
    const body = v.bodies[0];
    assert.ok(body.kind === 'html' && body.remoteAllowed);
    assert.ok(body.kind === 'html' && body.srcdoc.includes('https://evil.example/track.gif'));
    assert.ok(body.kind === 'html' && !body.srcdoc.includes('https://evil.example/frame'), 'frames stay out');
    assert.ok(body.kind === 'html' && !body.srcdoc.includes('href="https://example.com/offer"'), 'links never navigate');
  });
});

describe('view model: failures', () => {
  test('a tampered message is invalid, with the digest check failing and the parts marked red', () => {
    const v = view(s.tampered);
    assert.equal(v.summary.verdict, 'invalid');
    assert.equal(v.summary.tone, 'error');
    const digest = v.layers[0].signers[0].checks.find((c) => c.id === 'digest');
    assert.equal(digest?.status, 'fail');
    assert.ok(parts(v.tree).every((p) => p.coverage === 'signed' && p.tone === 'error'));
  });

  test('an unknown root gives "not trusted" with the trust-anchor check failing', () => {
    const v = view(s.valid, s.untrustedTrust);
    assert.equal(v.summary.verdict, 'untrusted');
    assert.equal(v.summary.title, 'Signature not trusted');
    assert.equal(v.layers[0].signers[0].checks.find((c) => c.id === 'trust-anchor')?.status, 'fail');
    assert.equal(v.layers[0].signers[0].chainTrusted, false);
  });

  test('a signer that does not match From is red like an invalid one; the From row names the address that signed', () => {
    const spoofed = Buffer.from(s.valid.toString('latin1').replace('From: Alice Example <alice@example.com>', 'From: Bank <ceo@bank.example>'), 'latin1');
    const v = view(spoofed);
    assert.equal(v.summary.verdict, 'mismatch');
    assert.equal(v.summary.tone, 'error');
    const from = v.headers.find((h) => h.name === 'From');
    assert.deepEqual(from?.flag, { tone: 'error', note: 'signed by alice@example.com' });
    assert.ok(v.headers.filter((h) => h.name !== 'From').every((h) => !h.flag));
    assert.ok(view(s.valid).headers.every((h) => !h.flag), 'a matching signer flags nothing');
  });

  test('a partly signed message says so, and the unsigned part is marked not covered', () => {
    const v = view(s.partial);
    assert.equal(v.summary.verdict, 'unsigned');
    assert.equal(v.summary.title, 'Only part of the message is signed');
    const unsigned = parts(v.tree).find((p) => p.id === '1.1');
    assert.equal(unsigned?.coverage, 'not-covered');
    assert.equal(unsigned?.tone, 'warn');
    assert.equal(parts(v.tree).find((p) => p.id === '1.2.1')?.coverage, 'signed');
    assert.equal(v.tree.coverage, 'not-covered');
    assert.ok(v.summary.reasons.some((r) => r.code === 'partial-signature'));
  });
});

describe('view model: encrypted', () => {
  test('without a key: locked, nothing to show, the carrier marked encrypted', () => {
    const v = view(s.encrypted);
    assert.equal(v.summary.verdict, 'locked');
    assert.equal(v.decryptState, 'locked');
    assert.equal(v.bodies.length, 0);
    assert.equal(v.attachments.length, 0, 'the p7m blob is not an attachment');
    assert.equal(v.tree.coverage, 'encrypted');
    assert.match(v.summary.encryption?.text ?? '', /not decrypted/);
  });

  test('decrypted in memory: the text shows, flagged not integrity-protected, remote content forbidden', () => {
    const v = view(s.encrypted, { ...s.trust, keys: [s.bobKey] }, { allowRemote: true });
    assert.equal(v.decryptState, 'decrypted');
    assert.equal(v.summary.encryption?.decrypted, true);
    assert.equal(v.summary.encryption?.integrityProtected, false);
    assert.match(v.summary.encryption?.notes.join(' ') ?? '', /not integrity-protected/);
    assert.match(v.summary.encryption?.algorithm ?? '', /AES-256-CBC/i);
    assert.equal(v.bodies.length, 1);
    assert.ok(v.bodies[0].kind === 'text' && v.bodies[0].text.includes('Grüße aus Köln'));
    const inner = parts(v.tree).find((p) => p.id === '1.1');
    assert.equal(inner?.decrypted, true);
    assert.equal(inner?.coverage, 'encrypted');
  });

  test('a failed decryption is reported as such', () => {
    assert.equal(view(s.encrypted, s.trust, { decryptFailed: true }).decryptState, 'failed');
  });

  test('a configured key that is locked: the headline says so and what unlocks it, never that no key exists', () => {
    const v = view(s.encrypted, s.trust, { lockedKeys: ['bob.p12'] });
    assert.equal(v.decryptState, 'keyLocked');
    assert.equal(v.summary.title, 'Key locked: enter passphrase');
    assert.match(v.summary.detail, /passphrase of bob\.p12/);
    const everything = JSON.stringify(v);
    assert.doesNotMatch(everything, /no key was supplied|no key/i);
    // A locked key does not hide that the message opened once decrypted.
    assert.equal(view(s.encrypted, { ...s.trust, keys: [s.bobKey] }, { lockedKeys: ['old.p12'] }).decryptState, 'decrypted');
  });
});
