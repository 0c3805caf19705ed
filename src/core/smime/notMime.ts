/**
 * Telling a file that is not a message at all (empty, an image renamed to .eml, other binary data) from a message,
 * so the reader is told that at the top instead of being shown a wall of garbled "body" and a calm "not signed".
 */
import type { MimeEntity } from '../mime/entity';
import { reason, type Reason } from './report';

/** Leading bytes looked at: file signatures sit at the start, and a NUL there already rules out mail text. */
const SNIFF_BYTES = 4096;

/** File signatures of formats people attach (and sometimes save as .eml by mistake). */
const SIGNATURES: { magic: Buffer; what: string }[] = [
  { magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), what: 'a PNG image' },
  { magic: Buffer.from([0xff, 0xd8, 0xff]), what: 'a JPEG image' },
  { magic: Buffer.from('GIF87a', 'latin1'), what: 'a GIF image' },
  { magic: Buffer.from('GIF89a', 'latin1'), what: 'a GIF image' },
  { magic: Buffer.from('%PDF-', 'latin1'), what: 'a PDF document' },
  { magic: Buffer.from([0x50, 0x4b, 0x03, 0x04]), what: 'a ZIP archive (or an Office document)' },
  { magic: Buffer.from([0x1f, 0x8b]), what: 'gzip-compressed data' },
];

/** Why `buf` is not a MIME message, or undefined when it may be one (RFC 5322 §2.1: header fields, then a body). */
export function notMimeReason(buf: Buffer, root: MimeEntity): Reason | undefined {
  const rfc = 'RFC 5322 §2.1';
  const head = buf.subarray(0, SNIFF_BYTES);
  let blank = true;
  for (let i = 0; i < buf.length && blank; i++) blank = buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0d || buf[i] === 0x0a;
  if (blank) return reason('not-mime', 'error', buf.length === 0 ? 'the file is empty: it holds no message' : 'the file holds only blank lines: no message', rfc);
  const known = SIGNATURES.find((s) => head.length >= s.magic.length && head.subarray(0, s.magic.length).equals(s.magic));
  if (known) return reason('not-mime', 'error', `this file is ${known.what}, not a MIME message`, rfc);
  // RFC 2045 §2.7-2.8: neither 7bit nor 8bit data may hold NUL; mail text never does. A NUL inside the header
  // fields is left to the checks of those fields (a NUL in From makes it unusable, RFC 8550 §3), which say more.
  if (head.subarray(Math.min(root.bodyStart, head.length)).includes(0)) return reason('not-mime', 'error', 'this file holds binary data (NUL bytes), not a MIME message', 'RFC 2045 §2.8');
  if (root.headers.length === 0) return reason('not-mime', 'error', 'no header fields at the start of the file: not a MIME message', rfc);
  return undefined;
}
