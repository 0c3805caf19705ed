// Small MIME writers for building test messages around raw CMS blobs. Everything is CRLF (RFC 5322 §2.1,
// RFC 5751 §3.1.1 canonical form) so the bytes a signature covers are exactly the bytes written to the file.
import { randomBytes } from 'node:crypto';

export const CRLF = '\r\n';

/** Converts bare LF (and stray CR) line endings to CRLF. */
export function toCrlf(data: Buffer | string): Buffer {
  const text = Buffer.isBuffer(data) ? data.toString('latin1') : data;
  return Buffer.from(text.replace(/\r\n|\r|\n/g, CRLF), 'latin1');
}

/** Converts CRLF to LF, as when a message is saved by a Unix mail client. */
export function toLf(data: Buffer): Buffer {
  return Buffer.from(data.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}

/** Base64 in 76-character lines (RFC 2045 §6.8), CRLF terminated. */
export function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join(CRLF) + CRLF;
}

function boundary(tag: string): string {
  return `----=_${tag}_${randomBytes(9).toString('base64url')}`;
}

/** An entity: header lines, empty line, body. The body is taken as is (give it CRLF endings). */
export function entity(headers: string[], body: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(headers.join(CRLF) + CRLF + CRLF, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
}

/** A quoted-printable UTF-8 text part with non-ASCII text, a trailing space, a "From " line and a lone dot. */
export function sampleTextEntity(marker = 'Amount: 100 EUR'): Buffer {
  const body = [
    'Hello Bob,',
    '',
    'Gr=C3=BC=C3=9Fe aus K=C3=B6ln. This line ends in a space:=20',
    'From the accounts team:',
    marker,
    '.',
    '-- ',
    'Alice',
    '',
  ].join(CRLF);
  return entity(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'], body);
}

/** multipart/mixed with a text part and a base64 attachment: base64 bodies are where the CRLF trap bites. */
export function sampleMixedEntity(): Buffer {
  const b = boundary('mixed');
  const attachment = entity([
    'Content-Type: application/octet-stream; name="data.bin"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="data.bin"',
  ], base64Lines(Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff))));
  return multipart(`multipart/mixed; boundary="${b}"`, b, [sampleTextEntity(), attachment]);
}

function multipart(contentType: string, b: string, parts: Buffer[], preamble = ''): Buffer {
  const chunks: Buffer[] = [Buffer.from(`Content-Type: ${contentType}${CRLF}${CRLF}${preamble}`, 'latin1')];
  for (const part of parts) chunks.push(Buffer.from(`--${b}${CRLF}`), part, Buffer.from(CRLF));
  chunks.push(Buffer.from(`--${b}--${CRLF}`));
  return Buffer.concat(chunks);
}

/** multipart/mixed of arbitrary entities (e.g. an unsigned part next to a signed one). */
export function mixedOf(parts: Buffer[]): Buffer {
  const b = boundary('mixed');
  return multipart(`multipart/mixed; boundary="${b}"`, b, parts);
}

export type DigestName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** micalg values, RFC 5751 §3.4.3.2. */
export const MICALG: Record<DigestName, string> = { sha1: 'sha-1', sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512' };

export interface SignedEntityOptions {
  /** The pre-RFC 5751 `application/x-pkcs7-signature` type some clients still write. */
  legacyTypes?: boolean;
}

/**
 * multipart/signed (RFC 1847 §2.1, RFC 5751 §3.5.3): the first part is `content` byte for byte; the CRLF before the
 * next boundary belongs to the boundary, so the signature must cover exactly `content`.
 */
export function multipartSigned(content: Buffer, signature: Buffer, digest: DigestName, options: SignedEntityOptions = {}): Buffer {
  const b = boundary('signed');
  const type = options.legacyTypes ? 'application/x-pkcs7-signature' : 'application/pkcs7-signature';
  const sig = entity([
    `Content-Type: ${type}; name="smime.p7s"`,
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7s"',
  ], base64Lines(signature));
  return multipart(`multipart/signed; protocol="${type}"; micalg=${MICALG[digest]}; boundary="${b}"`, b, [content, sig],
    `This is a cryptographically signed message in MIME format.${CRLF}${CRLF}`);
}

export type SmimeType = 'signed-data' | 'enveloped-data' | 'authEnveloped-data' | 'compressed-data';

/** application/pkcs7-mime with base64 body (RFC 5751 §3.2). */
export function pkcs7Mime(der: Buffer, smimeType: SmimeType, options: SignedEntityOptions = {}): Buffer {
  const type = options.legacyTypes ? 'application/x-pkcs7-mime' : 'application/pkcs7-mime';
  return entity([
    `Content-Type: ${type}; smime-type=${smimeType}; name="smime.p7m"`,
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="smime.p7m"',
  ], base64Lines(der));
}

export interface Envelope {
  from: string;
  to: string;
  subject: string;
  date?: Date;
  messageId?: string;
}

/** RFC 5322 §3.3 date-time with a numeric zone. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** Prepends RFC 5322 header fields and MIME-Version to an entity (whose own headers follow in the same block). */
export function wrapMessage(env: Envelope, body: Buffer): Buffer {
  const headers = [
    `From: ${env.from}`,
    `To: ${env.to}`,
    `Subject: ${env.subject}`,
    `Date: ${rfc5322Date(env.date ?? new Date())}`,
    `Message-ID: ${env.messageId ?? `<${randomBytes(12).toString('hex')}@example.com>`}`,
    'MIME-Version: 1.0',
  ];
  return Buffer.concat([Buffer.from(headers.join(CRLF) + CRLF, 'latin1'), body]);
}

/** Replaces the first occurrence of `from` by `to` (same length), failing loudly when `from` is absent. */
export function replaceOnce(data: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('replaceOnce keeps lengths equal');
  const at = data.indexOf(from, 0, 'latin1');
  if (at < 0) throw new Error(`marker "${from}" not found`);
  const out = Buffer.from(data);
  out.write(to, at, 'latin1');
  return out;
}

/** Flips the last bit of the byte at `offset` (negative counts from the end). */
export function flipByte(data: Buffer, offset: number): Buffer {
  const out = Buffer.from(data);
  const at = offset < 0 ? out.length + offset : offset;
  out[at] ^= 0x01;
  return out;
}

const REQUIRED_FIELDS = ['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version'];

/**
 * Throws unless `message` has the RFC 5322 fields every test message carries and one kind of line ending
 * throughout: CRLF (RFC 5322 §2.1), or bare LF for a message meant to look saved by a Unix mail store.
 * 'mixed' (a CRLF header block, any body) is what OpenSSL's own writer makes.
 */
export function assertWellFormedMessage(message: Buffer, lineEnding: 'crlf' | 'lf' | 'mixed' = 'crlf'): void {
  const text = message.toString('latin1');
  const eol = lineEnding === 'lf' ? '\n' : CRLF;
  const headerEnd = text.indexOf(eol + eol);
  if (headerEnd < 0) throw new Error('no end of header block');
  const names = text.slice(0, headerEnd).split(eol).filter((l) => !/^[ \t]/.test(l)).map((l) => l.split(':')[0].toLowerCase());
  const missing = REQUIRED_FIELDS.filter((f) => !names.includes(f.toLowerCase()));
  if (missing.length) throw new Error(`missing header fields: ${missing.join(', ')}`);
  if (lineEnding === 'mixed') return;
  const bad = lineEnding === 'crlf' ? /\r(?!\n)|(?<!\r)\n/ : /\r/;
  if (bad.test(text)) throw new Error(`line endings are not all ${lineEnding.toUpperCase()}`);
}
