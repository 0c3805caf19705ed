/**
 * Header fields on the write path: copying fields with CRLF endings, re-encoding 8-bit fields inside the
 * protected entity (RFC 2047 words, RFC 2231 parameters), folding long lines (RFC 5322 §2.2.3), and the
 * random boundary of the multipart/signed we write (RFC 2046 §5.1.1).
 */
import { randomBytes } from 'node:crypto';
import libmime from 'libmime';
import type { HeaderField } from '../../mime/entity';
import { toCanonicalCrlf } from '../canonical';

/** RFC 2045 §5.1 parameters that structure a Content-* field (re-encoded with RFC 2231, not RFC 2047). */
const STRUCTURED_FIELDS = new Set(['content-type', 'content-disposition']);
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
  const value = STRUCTURED_FIELDS.has(field.key)
    ? libmime.buildHeaderValue(libmime.parseHeaderValue(field.value))
    : libmime.encodeWords(field.value, 'Q', ENCODED_WORD_LENGTH);
  return foldField(field.name, value, limit);
}

/** Refolds a 7-bit field whose lines are too long; keeps the field when no fold point helps. */
export function refoldField(field: HeaderField, limit: number): Buffer {
  return foldField(field.name, field.rawValue, limit);
}

/** A boundary that does not occur in any of `contents` (RFC 2046 §5.1.1: it must not appear inside). */
export function uniqueBoundary(contents: Buffer[]): string {
  for (let i = 0; i < MAX_BOUNDARY_TRIES; i++) {
    const boundary = `----=_smime_${randomBytes(18).toString('base64url')}`;
    if (contents.every((c) => c.indexOf(boundary, 0, 'latin1') === -1)) return boundary;
  }
  throw new Error('no boundary could be found that does not occur in the content');
}

/** Header lines (already CRLF-terminated strings) to bytes. */
export function headerBlock(lines: string[]): Buffer {
  return Buffer.from(lines.map((l) => l + '\r\n').join(''), 'latin1');
}
