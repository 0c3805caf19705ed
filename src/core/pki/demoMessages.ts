/**
 * Sample messages for the demo PKI, one per verdict a reader should learn to recognise, made with the
 * project's own write path (compose/). Each comes with the verdict and reason codes `smime verify` gives it,
 * which README.txt prints and the tests check.
 */
import type { ReasonCode, Verdict } from '../smime/report';
import { encryptMessage, signAndEncrypt, signEntity, signMessage } from '../smime/compose';
import { uniqueBoundary } from '../smime/compose/headers';
import type { DemoIdentity, DemoPki, DemoUserName } from './demoPki';

export interface DemoMessageSpec {
  file: string;
  /** What the reader should see, for README.txt. */
  shows: string;
  verdict: Verdict;
  /** Reason codes the report must contain. */
  reasons: ReasonCode[];
  /** Whose key decrypts it (the CLI needs --p12 for it). */
  decryptWith?: DemoUserName;
}

export const DEMO_MESSAGES: readonly DemoMessageSpec[] = [
  { file: 'plain.eml', shows: 'no S/MIME at all: "not signed"', verdict: 'unsigned', reasons: [] },
  { file: 'signed-detached.eml', shows: 'multipart/signed by alice (RSA, SHA-256): valid', verdict: 'valid', reasons: [] },
  { file: 'signed-opaque.eml', shows: 'application/pkcs7-mime signed-data by alice: valid', verdict: 'valid', reasons: [] },
  { file: 'signed-ec.eml', shows: 'signed by carol with ECDSA P-256: valid', verdict: 'valid', reasons: [] },
  { file: 'signed-ed25519.eml', shows: 'signed by dave with Ed25519: valid (Thunderbird, gpgsm and OpenSSL cms cannot check Ed25519 signatures)', verdict: 'valid', reasons: [] },
  { file: 'encrypted-cbc.eml', shows: 'AES-256-CBC to bob (and alice), not signed: with bob.p12 it decrypts, and is flagged as not integrity-protected (EFAIL)', verdict: 'unsigned', reasons: ['not-integrity-protected'], decryptWith: 'bob' },
  { file: 'encrypted-gcm.eml', shows: 'AES-256-GCM (authEnveloped-data) to bob: decrypts with bob.p12; authenticated, but still not signed', verdict: 'unsigned', reasons: [], decryptWith: 'bob' },
  { file: 'signed-encrypted.eml', shows: 'signed by alice, then encrypted to bob: valid once decrypted with bob.p12', verdict: 'valid', reasons: [], decryptWith: 'bob' },
  { file: 'tampered.eml', shows: 'signed by alice, then one word of the text changed: invalid (digest mismatch)', verdict: 'invalid', reasons: ['digest-mismatch'] },
  { file: 'expired-signer.eml', shows: 'signed last year, shortly before the signer\'s certificate expired: untrusted (certificate expired)', verdict: 'untrusted', reasons: ['cert-expired'] },
  { file: 'wrong-usage.eml', shows: 'signed with a certificate for TLS servers only: untrusted (extended key usage)', verdict: 'untrusted', reasons: ['ext-key-usage'] },
  { file: 'sender-mismatch.eml', shows: 'From alice, but signed with eve\'s certificate: mismatch', verdict: 'mismatch', reasons: ['sender-mismatch'] },
  { file: 'partially-signed.eml', shows: 'an unsigned introduction followed by a part alice signed: not signed (only part of it is)', verdict: 'unsigned', reasons: ['partial-signature'] },
];

const TAMPER_FROM = 'Please transfer 100 EUR';
const TAMPER_TO = 'Please transfer 900 EUR';

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** RFC 5322 §3.3 date-time in UTC, e.g. "Sat, 28 Nov 2026 13:48:39 +0000". */
export function rfc5322Date(d: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${day}, ${two(d.getUTCDate())} ${month} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

function address(id: DemoIdentity): string {
  return `${id.spec.displayName} <${id.spec.email}>`;
}

interface Draft {
  from: string;
  subject: string;
  date: Date;
  body: string;
}

function outerHeaders(draft: Draft, to: string, file: string): string {
  const id = `${file.replace(/\.eml$/, '')}.${draft.date.getTime()}@demo.example.com`;
  return [`From: ${draft.from}`, `To: ${to}`, `Subject: ${draft.subject}`, `Date: ${rfc5322Date(draft.date)}`, `Message-ID: <${id}>`].join('\r\n') + '\r\n';
}

/** A plain text/plain message (CRLF) as a mail client would hand it over for signing or encrypting. */
function plainMessage(draft: Draft, to: string, file: string): Buffer {
  const body = draft.body.replace(/\r?\n/g, '\r\n');
  return Buffer.from(`${outerHeaders(draft, to, file)}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${body}`, 'utf8');
}

function tamper(message: Buffer): Buffer {
  const text = message.toString('latin1');
  if (!text.includes(TAMPER_FROM)) throw new Error('the demo text to tamper with is missing');
  return Buffer.from(text.replace(TAMPER_FROM, TAMPER_TO), 'latin1');
}

/** multipart/mixed: an unsigned text part, then a part alice signed (RFC 8551 §3.5 covers only that part). */
function partiallySigned(draft: Draft, to: string, signer: DemoIdentity): Buffer {
  const intro = Buffer.from('Content-Type: text/plain; charset=utf-8\r\n\r\nThis introduction is not signed. Only the attached note below is.\r\n');
  const note = Buffer.from('Content-Type: text/plain; charset=utf-8\r\n\r\nThis note is signed by Alice.\r\n');
  const signed = signEntity(note, { privateKey: signer.privateKey, certificate: signer.certificate }, { now: draft.date });
  const boundary = uniqueBoundary([intro, signed]);
  return Buffer.concat([
    Buffer.from(`${outerHeaders(draft, to, 'partially-signed.eml')}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\n`),
    intro,
    Buffer.from(`\r\n--${boundary}\r\n`),
    signed,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

/** Builds every sample in DEMO_MESSAGES order. Throws ComposeError only if the write path refuses (a defect here). */
export function createDemoMessages(pki: DemoPki): Map<string, Buffer> {
  const u = pki.users;
  const now = pki.now;
  const to = address(u.bob);
  const signer = (id: DemoIdentity) => ({ privateKey: id.privateKey, certificate: id.certificate });
  const draft = (from: DemoIdentity, subject: string, body: string, date = now): Draft => ({ from: address(from), subject, date, body });
  const text = (what: string) => `Hello Bob,\n\n${what}\n\n${TAMPER_FROM} to account 42 by Friday.\n\n-- \nsmime demo (test only)\n`;
  const sign = (file: string, d: Draft, who: DemoIdentity, extra: { detached?: boolean; force?: boolean } = {}) =>
    signMessage({ input: plainMessage(d, to, file), signer: signer(who), now: d.date, ...extra }).message;
  const out = new Map<string, Buffer>();
  out.set('plain.eml', plainMessage(draft(u.alice, 'Plain message', text('This message is not signed.')), to, 'plain.eml'));
  out.set('signed-detached.eml', sign('signed-detached.eml', draft(u.alice, 'Signed (multipart/signed)', text('Signed with RSA.')), u.alice));
  out.set('signed-opaque.eml', sign('signed-opaque.eml', draft(u.alice, 'Signed (opaque)', text('Signed with RSA, opaque form.')), u.alice, { detached: false }));
  out.set('signed-ec.eml', sign('signed-ec.eml', draft(u['carol-ec'], 'Signed with ECDSA', text('Signed with EC P-256.')), u['carol-ec']));
  out.set('signed-ed25519.eml', sign('signed-ed25519.eml', draft(u['dave-ed25519'], 'Signed with Ed25519', text('Signed with Ed25519.')), u['dave-ed25519']));
  const encrypted = (file: string, subject: string, cipher: 'aes-256-cbc' | 'aes-256-gcm') =>
    encryptMessage({ input: plainMessage(draft(u.alice, subject, text('Encrypted, not signed.')), to, file), recipients: [u.bob.certificate], self: u.alice.certificate, cipher, now }).message;
  out.set('encrypted-cbc.eml', encrypted('encrypted-cbc.eml', 'Encrypted (AES-256-CBC)', 'aes-256-cbc'));
  out.set('encrypted-gcm.eml', encrypted('encrypted-gcm.eml', 'Encrypted (AES-256-GCM)', 'aes-256-gcm'));
  const both = draft(u.alice, 'Signed and encrypted', text('Signed by Alice, then encrypted to Bob and Alice.'));
  out.set('signed-encrypted.eml', signAndEncrypt({ input: plainMessage(both, to, 'signed-encrypted.eml'), signer: signer(u.alice), recipients: [u.bob.certificate], self: u.alice.certificate, now }).message);
  out.set('tampered.eml', tamper(sign('tampered.eml', draft(u.alice, 'Tampered', text('The amount below was changed after signing.')), u.alice)));
  // Signed one day before the certificate ran out, with a Date to match: valid then, expired now.
  const expiredAt = new Date(u.expired.certificate.notAfter.getTime() - 24 * 60 * 60 * 1000);
  out.set('expired-signer.eml', sign('expired-signer.eml', draft(u.expired, 'Signed with a certificate that has expired since', text('Signed last year.'), expiredAt), u.expired));
  // The write path refuses a signer without emailProtection; force makes the sample anyway.
  out.set('wrong-usage.eml', sign('wrong-usage.eml', draft(u.noeku, 'Signed with a TLS server certificate', text('Signed with the wrong kind of certificate.')), u.noeku, { force: true }));
  out.set('sender-mismatch.eml', sign('sender-mismatch.eml', draft(u.alice, 'From Alice, signed by Eve', text('Signed by someone else.')), u.mismatch));
  out.set('partially-signed.eml', partiallySigned(draft(u.alice, 'Partially signed', ''), to, u.alice));
  return out;
}
