/**
 * Header fields on the write path: copying fields with CRLF endings, re-encoding 8-bit fields inside the
 * protected entity (RFC 2047 words, RFC 2231 parameters), folding long lines (RFC 5322 §2.2.3), and the
 * random boundary of the multipart/signed we write (RFC 2046 §5.1.1).
 */
import { randomBytes } from 'node:crypto';
import type { HeaderField } from '../../mime/entity';
import { toCanonicalCrlf } from '../canonical';
import { libmime } from './lazyLibmime';

/** RFC 2045 §5.1 parameters that structure a Content-* field (re-encoded with RFC 2231, not RFC 2047). */
const STRUCTURED_FIELDS = new Set(['content-type', 'content-disposition']);
/** Fields holding address lists (RFC 5322 §3.6.2, §3.6.3, §3.6.6): only their display names may be encoded. */
const ADDRESS_FIELDS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'resent-from', 'resent-sender', 'resent-to', 'resent-cc', 'resent-bcc', 'disposition-notification-to']);
/** Target length of encoded words (RFC 2047 §2 caps one word at 75 characters). */
const ENCODED_WORD_LENGTH = 52;
/** Boundaries are tried until one does not occur in the content; a handful of tries is plenty for 144 random bits. */
const MAX_BOUNDARY_TRIES = 16;

/** The field's bytes exactly as in the input, with line endings made CRLF and a final CRLF ensured. */
export function fieldBytes(source: Buffer, field: HeaderField): Buffer {
  const raw = toCanonicalCrlf(source.subarray(field.start, field.end));
  return raw.subarray(raw.length - 2).toString('latin1') === '\r\n' ? raw : Buffer.concat([raw, Buffer.from('\r\n')]);
}

export function hasEightBit(data: Buffer): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] > 0x7f) return true;
  return false;
}

/** Longest physical line of a field (CRLF excluded). */
export function longestLine(field: Buffer): number {
  return Math.max(...field.toString('latin1').split('\r\n').map((l) => l.length));
}

/**
 * `name: value` folded at whitespace so that lines stay within `limit` where a fold point exists
 * (RFC 5322 §2.2.3: folding inserts CRLF before whitespace). Ends with CRLF.
 */
export function foldField(name: string, value: string, limit: number): Buffer {
  const lines: string[] = [];
  let rest = `${name}: ${value}`;
  while (rest.length > limit) {
    let at = rest.lastIndexOf(' ', limit);
    if (at <= name.length + 1) at = rest.indexOf(' ', limit + 1);
    if (at <= name.length + 1 || at === -1) break;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  lines.push(rest);
  return Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');
}

/**
 * A field with 8-bit bytes made 7-bit: Content-Type/Disposition parameters as RFC 2231, anything else as
 * RFC 2047 encoded words. `field.value` is already decoded text.
 */
export function sevenBitField(field: HeaderField, limit: number): Buffer {
  let value: string;
  if (STRUCTURED_FIELDS.has(field.key)) value = libmime().buildHeaderValue(libmime().parseHeaderValue(field.value));
  else if (ADDRESS_FIELDS.has(field.key)) value = encodeAddressList(field.value);
  else value = libmime().encodeWords(field.value, 'Q', ENCODED_WORD_LENGTH);
  return foldField(field.name, value, limit);
}

const NON_ASCII = /[^\x00-\x7f]/;

function encodePhrase(text: string): string {
  return libmime().encodeWord(text, 'Q', ENCODED_WORD_LENGTH);
}

/** In unquoted text between addresses: encodes the span from the first to the last 8-bit word of each list item. */
function encodePlain(text: string): string {
  return text
    .split(',')
    .map((item) => {
      const words = item.split(/(\s+)/);
      const first = words.findIndex((w) => NON_ASCII.test(w));
      if (first === -1) return item;
      let last = words.length - 1;
      while (!NON_ASCII.test(words[last])) last--;
      return words.slice(0, first).join('') + encodePhrase(words.slice(first, last + 1).join('')) + words.slice(last + 1).join('');
    })
    .join(',');
}

/**
 * An address list with 8-bit display names made 7-bit (RFC 2047 §5(3): an encoded word may replace a phrase,
 * never a quoted string's inside or an addr-spec). Addresses in angle brackets are kept as written.
 */
export function encodeAddressList(value: string): string {
  // "<[^<>]*>": an unclosed "<" scans only to the next "<", so a run of them costs linear time.
  const segments = value.match(/"(?:[^"\\]|\\.)*"|<[^<>]*>|[^"<]+|["<]/g) ?? [];
  return segments
    .map((seg) => {
      if (!NON_ASCII.test(seg) || seg.startsWith('<')) return seg;
      if (seg.startsWith('"') && seg.length > 1) return encodePhrase(seg.slice(1, -1).replace(/\\(.)/g, '$1'));
      return encodePlain(seg);
    })
    .join('');
}

/** Refolds a 7-bit field whose lines are too long; keeps the field when no fold point helps. */
export function refoldField(field: HeaderField, limit: number): Buffer {
  return foldField(field.name, field.rawValue, limit);
}

/** A new random boundary (144 random bits); whether it occurs in the content is for the caller to check. */
export function randomBoundary(): string {
  return `----=_smime_${randomBytes(18).toString('base64url')}`;
}

/** A boundary that does not occur in any of `contents` (RFC 2046 §5.1.1: it must not appear inside). */
export function uniqueBoundary(contents: Buffer[]): string {
  for (let i = 0; i < MAX_BOUNDARY_TRIES; i++) {
    const boundary = randomBoundary();
    if (contents.every((c) => c.indexOf(boundary, 0, 'latin1') === -1)) return boundary;
  }
  throw new Error('no boundary could be found that does not occur in the content');
}

/** Header lines (already CRLF-terminated strings) to bytes. */
export function headerBlock(lines: string[]): Buffer {
  return Buffer.from(lines.map((l) => l + '\r\n').join(''), 'latin1');
}
