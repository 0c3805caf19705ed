/**
 * Names what a relay did to the signed part: the two canonical forms are parsed as MIME and compared entity by
 * entity, so a difference is reported as the rewrite that explains it (a header refolded, a base64 body
 * re-wrapped, 8bit re-encoded as quoted-printable, a footer appended) rather than as a byte offset alone.
 * Every comparison here is a single pass over the bytes (no quadratic diff): relays rewrite in place, so
 * pairing entities by position and headers by name and occurrence is enough to name the change.
 */
import { decodeBody } from '../mime/decode';
import type { HeaderField, MimeEntity } from '../mime/entity';
import { CR, HT, LF, SP, commonPrefix, excerpt, lineAt, withoutTrailingWhitespace } from './bytes';

export type RewriteKind =
  /** Inside the signed part: each of these changes the signed bytes, so each breaks the signature. */
  | 'header-refolded'
  | 'header-changed'
  | 'header-added'
  | 'header-removed'
  | 'base64-rewrapped'
  | 'transfer-reencoded'
  | 'trailing-whitespace'
  | 'footer-added'
  | 'structure-changed'
  | 'content-changed'
  | 'signature-changed'
  | 'signed-part-missing'
  /** Outside what the signature covers, or undone by canonicalisation: harmless. */
  | 'line-endings'
  | 'signature-rewrapped'
  | 'outer-headers';

export interface Rewrite {
  kind: RewriteKind;
  /** MIME part path inside the signed part ("1" is the signed part itself), or "message" for outer changes. */
  part: string;
  /** 1-based line in the message before and after the relay, when the change has one. */
  lineBefore?: number;
  lineAfter?: number;
  detail: string;
  breaksSignature: boolean;
}

/** The field as written, unfolded (RFC 5322 §2.2.3) and with whitespace runs collapsed: equal for mere refolding. */
function unfoldedField(field: HeaderField, source: Buffer): string {
  const bytes = source.subarray(field.start, field.end);
  let out = '';
  let pendingSpace = false;
  for (const byte of bytes) {
    if (byte === CR || byte === LF || byte === SP || byte === HT) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace && out.length > 0) out += ' ';
    pendingSpace = false;
    out += String.fromCharCode(byte);
  }
  // "Name: value" and "Name:value" unfold the same way once the space after the colon is optional (RFC 5322 §2.2).
  return out.replace(/^([^:]*):\s?/, '$1:');
}

function keyed(headers: HeaderField[]): Map<string, HeaderField> {
  const counts = new Map<string, number>();
  const map = new Map<string, HeaderField>();
  for (const h of headers) {
    const n = (counts.get(h.key) ?? 0) + 1;
    counts.set(h.key, n);
    map.set(`${h.key}#${n}`, h);
  }
  return map;
}

export interface CompareContext {
  /** Added to a line of the signed part to give the line of the message (before, after). */
  lineOffsetBefore: number;
  lineOffsetAfter: number;
  out: Rewrite[];
}

function push(ctx: CompareContext, r: Omit<Rewrite, 'breaksSignature' | 'lineBefore' | 'lineAfter'>, lineA?: number, lineB?: number): void {
  ctx.out.push({
    ...r,
    ...(lineA !== undefined ? { lineBefore: lineA + ctx.lineOffsetBefore } : {}),
    ...(lineB !== undefined ? { lineAfter: lineB + ctx.lineOffsetAfter } : {}),
    breaksSignature: true,
  });
}

function compareHeaders(ctx: CompareContext, a: MimeEntity, b: MimeEntity, reencoded: boolean): void {
  const before = keyed(a.headers);
  const after = keyed(b.headers);
  for (const [key, ha] of before) {
    const hb = after.get(key);
    if (!hb) {
      push(ctx, { kind: 'header-removed', part: a.path, detail: `${ha.name} removed` }, ha.line);
      continue;
    }
    if (a.source.subarray(ha.start, ha.end).equals(b.source.subarray(hb.start, hb.end))) continue;
    // A changed Content-Transfer-Encoding is reported once, as the re-encoding of the body it belongs to.
    if (ha.key === 'content-transfer-encoding' && reencoded) continue;
    if (unfoldedField(ha, a.source) === unfoldedField(hb, b.source)) {
      push(ctx, { kind: 'header-refolded', part: a.path, detail: `${ha.name}: folded differently (same value, different line breaks or spaces)` }, ha.line, hb.line);
    } else {
      push(ctx, { kind: 'header-changed', part: a.path, detail: `${ha.name}: "${excerpt(Buffer.from(ha.rawValue, 'latin1'))}" became "${excerpt(Buffer.from(hb.rawValue, 'latin1'))}"` }, ha.line, hb.line);
    }
  }
  for (const [key, hb] of after) {
    if (!before.has(key)) push(ctx, { kind: 'header-added', part: a.path, detail: `${hb.name} added: "${excerpt(Buffer.from(hb.rawValue, 'latin1'))}"` }, undefined, hb.line);
  }
}

/** Whether the body of each side decodes to the same bytes, and those bytes. */
function decoded(entity: MimeEntity): Buffer {
  return decodeBody(entity).data;
}

function compareLeafBody(ctx: CompareContext, a: MimeEntity, b: MimeEntity): boolean {
  const rawA = a.source.subarray(a.bodyStart, a.end);
  const rawB = b.source.subarray(b.bodyStart, b.end);
  if (rawA.equals(rawB)) return false;
  const dataA = decoded(a);
  const dataB = decoded(b);
  const lineA = lineAt(a.source, a.bodyStart);
  const lineB = lineAt(b.source, b.bodyStart);
  if (dataA.equals(dataB)) {
    if (a.transferEncoding === 'base64' && b.transferEncoding === 'base64') {
      const width = (raw: Buffer) => (raw.indexOf(CR) === -1 ? raw.length : raw.indexOf(CR));
      push(ctx, { kind: 'base64-rewrapped', part: a.path, detail: `base64 lines re-wrapped (${width(rawA)} → ${width(rawB)} characters per line); the content is the same` }, lineA, lineB);
    } else {
      const from = a.transferEncoding || '7bit';
      const to = b.transferEncoding || '7bit';
      const how = from === to ? `re-encoded as ${to} with different line breaks` : `re-encoded from ${from} to ${to}`;
      push(ctx, { kind: 'transfer-reencoded', part: a.path, detail: `${how}; the decoded content is the same` }, lineA, lineB);
    }
    return a.transferEncoding !== b.transferEncoding;
  }
  if (withoutTrailingWhitespace(dataA).equals(withoutTrailingWhitespace(dataB))) {
    push(ctx, { kind: 'trailing-whitespace', part: a.path, detail: 'spaces or tabs at line ends were removed or added' }, lineA, lineB);
    return false;
  }
  const prefix = commonPrefix(dataA, dataB);
  // A footer: everything before stays, text follows (a trailing line break of the original may move behind it).
  const tail = dataA.subarray(prefix);
  if (dataB.length > dataA.length && (prefix === dataA.length || tail.toString('latin1').trim() === '')) {
    push(ctx, { kind: 'footer-added', part: a.path, detail: `text appended: "${excerpt(dataB.subarray(prefix))}"` }, lineA, lineB + lineAt(dataB, prefix) - 1);
    return a.transferEncoding !== b.transferEncoding;
  }
  push(
    ctx,
    { kind: 'content-changed', part: a.path, detail: `content differs from "${excerpt(dataA.subarray(prefix))}" (now "${excerpt(dataB.subarray(prefix))}")` },
    lineA + lineAt(dataA, prefix) - 1,
    lineB + lineAt(dataB, prefix) - 1,
  );
  return a.transferEncoding !== b.transferEncoding;
}

function compareRange(ctx: CompareContext, a: MimeEntity, b: MimeEntity, what: 'preamble' | 'epilogue'): void {
  const [sa, ea] = a.multipart![what];
  const [sb, eb] = b.multipart![what];
  const ra = a.source.subarray(sa, ea);
  const rb = b.source.subarray(sb, eb);
  if (ra.equals(rb)) return;
  const appended = what === 'epilogue' && rb.length > ra.length && rb.subarray(0, ra.length).equals(ra);
  push(
    ctx,
    { kind: appended ? 'footer-added' : 'content-changed', part: a.path, detail: appended ? `text appended after the last part: "${excerpt(rb.subarray(ra.length))}"` : `the multipart ${what} changed` },
    lineAt(a.source, sa),
    lineAt(b.source, sb),
  );
}

/** Compares two entities of the canonical signed parts and records each rewrite found. */
export function compareEntities(ctx: CompareContext, a: MimeEntity, b: MimeEntity): void {
  if (a.contentType.mimeType !== b.contentType.mimeType) {
    push(ctx, { kind: 'structure-changed', part: a.path, detail: `Content-Type ${a.contentType.mimeType} became ${b.contentType.mimeType}` }, a.line, b.line);
    return;
  }
  if (a.multipart && b.multipart) {
    compareHeaders(ctx, a, b, false);
    compareRange(ctx, a, b, 'preamble');
    const n = Math.min(a.children.length, b.children.length);
    for (let i = 0; i < n; i++) compareEntities(ctx, a.children[i], b.children[i]);
    if (a.children.length !== b.children.length) {
      push(ctx, { kind: 'structure-changed', part: a.path, detail: `${a.children.length} parts became ${b.children.length}${b.children.length > a.children.length ? ' (a part was added, e.g. a footer or disclaimer)' : ''}` }, a.line, b.line);
    }
    compareRange(ctx, a, b, 'epilogue');
    return;
  }
  if (a.children.length || b.children.length) {
    // message/rfc822 bodies: compared as the messages they hold.
    compareHeaders(ctx, a, b, false);
    if (a.children[0] && b.children[0]) compareEntities(ctx, a.children[0], b.children[0]);
    return;
  }
  const reencoded = compareLeafBody(ctx, a, b);
  compareHeaders(ctx, a, b, reencoded);
}

export function firstDifferenceLine(a: Buffer, b: Buffer): { offset: number; lineBefore: number; lineAfter: number } {
  const offset = commonPrefix(a, b);
  return { offset, lineBefore: lineAt(a, offset), lineAfter: lineAt(b, offset) };
}

export { commonPrefix, excerpt, lineAt, unfoldedField };
