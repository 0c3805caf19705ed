/**
 * Makes a MIME entity "ESP-safe" before it is signed: canonical CRLF (RFC 8551 §3.1.1) and 7-bit transfer
 * encodings with short lines (RFC 8551 §3.1.3), so that no relay, mailbox or sending service has a reason to
 * rewrite a byte the signature covers. Parts that are already safe are copied byte for byte; only the leaves
 * that need it are re-encoded, and multipart boundaries, preambles and epilogues are kept. The output is built
 * from views of the input wherever nothing changes, so a message that is already safe is not copied at all.
 */
import type { HeaderField, MimeEntity } from '../../mime/entity';
import { decodeBody } from '../../mime/decode';
import { hasBareLf, toCanonicalCrlf } from '../canonical';
import { isUtf8 } from 'node:buffer';
import { scanCanonical } from './bodyScan';
import type { EntityDigest } from './entityDigest';
import { fieldBytes, foldField, hasEightBit, longestLine, refoldField, sevenBitField } from './headers';
import { libmime } from './lazyLibmime';
import { Pieces } from './pieces';
import { encodeBase64Lines, encodeQuotedPrintable, HARD_LINE_LIMIT, isSevenBitSafe, scanBody, type BodyScan } from './transferEncode';
import type { ComposeWarning, PreflightChange } from './types';

export interface EspSafeContext {
  /** Longest line (octets) left as is in a body or header inside the entity. */
  limit: number;
  changes: PreflightChange[];
  warnings: ComposeWarning[];
  /** Set when a bare LF was found and made CRLF anywhere in the entity (the caller reports it once). */
  sawBareLf?: boolean;
  /** Hashes the bodies in the pass that scans them (entityDigest.ts), when the entity is to be signed. */
  digest?: EntityDigest;
}

/** How a leaf body is written: its bytes, the Content-Transfer-Encoding to declare when it changes, charset to add. */
interface LeafOutput {
  body: Buffer | Pieces;
  label?: string;
  addCharset?: boolean;
}

const CRLF = Buffer.from('\r\n');
const REASON_7BIT = 'a relay without 8BITMIME would re-encode it and break the signature (RFC 8551 §3.1.3)';
const IDENTITY_LABELS = new Set(['7bit', '8bit', 'binary']);


/** `data` with CRLF line endings (RFC 8551 §3.1.1); the same buffer when it already has them. */
function canonical(ctx: EspSafeContext, data: Buffer): Buffer {
  const out = toCanonicalCrlf(data);
  if (out !== data) ctx.sawBareLf = true;
  return out;
}

/**
 * A body made canonical and its scan, in one pass (bodyScan.ts) that also hands the canonical bytes to the
 * entity's digest when signing. `body` is the canonical form as pieces (views of the input); `joined()` gives it
 * as one buffer for the encoders, copied only when a bare LF had to become CRLF.
 */
function canonicalScan(ctx: EspSafeContext, entity: MimeEntity): { body: Pieces; joined: () => Buffer; scan: BodyScan } {
  const raw = entity.source.subarray(entity.bodyStart, entity.end);
  const result = scanCanonical(raw, ctx.digest?.bodySink(entity.source, entity.bodyStart, entity.end));
  if (result.hadBareLf) ctx.sawBareLf = true;
  const parts = result.canonical;
  const body = new Pieces();
  for (const part of parts) body.add(part);
  return { body, joined: () => (parts.length === 1 ? parts[0] : Buffer.concat(parts)), scan: result.scan };
}

function change(ctx: EspSafeContext, path: string, what: string, reason: string): void {
  ctx.changes.push({ path, change: what, reason });
}

function lineReason(ctx: EspSafeContext, scan: BodyScan): string {
  return scan.maxLine > HARD_LINE_LIMIT
    ? `a line of ${scan.maxLine} octets exceeds the 998 allowed (RFC 5322 §2.1.1); relays would break it`
    : `a line of ${scan.maxLine} octets is longer than ${ctx.limit}; sending services re-wrap long lines`;
}

function whyUnsafe(ctx: EspSafeContext, scan: BodyScan): string {
  if (scan.nul) return 'NUL bytes are not allowed in 7bit or 8bit data (RFC 2045 §2.7)';
  if (scan.eightBit) return `8-bit data: ${REASON_7BIT}`;
  if (scan.bareCr) return 'a CR without LF is not a line ending (RFC 2045 §2.7)';
  return lineReason(ctx, scan);
}

/** Warnings about 7-bit text kept as is that transports are known to change. */
function warnKeptText(ctx: EspSafeContext, entity: MimeEntity, scan: BodyScan): void {
  if (!entity.contentType.mimeType.startsWith('text/')) return;
  if (scan.fromLine) {
    ctx.warnings.push({ code: 'from-line', path: entity.path, message: `part ${entity.path} has a line starting "From ": mbox storage may turn it into ">From " and break the signature` });
  }
  if (scan.trailingSpace) {
    ctx.warnings.push({ code: 'trailing-whitespace', path: entity.path, message: `part ${entity.path} has lines ending in spaces or tabs, which some relays strip` });
  }
}

/** Text becomes quoted-printable, anything else (or text with NUL bytes) base64. */
function reencode(ctx: EspSafeContext, entity: MimeEntity, data: Buffer, from: string, scan: BodyScan): LeafOutput {
  const text = entity.contentType.mimeType.startsWith('text/') && !scan.nul;
  const label = text ? 'quoted-printable' : 'base64';
  const body = text ? encodeQuotedPrintable(toCanonicalCrlf(data)) : encodeBase64Lines(data);
  change(ctx, entity.path, `Content-Transfer-Encoding ${from} -> ${label}`, whyUnsafe(ctx, scan));
  let addCharset = false;
  if (text && scan.eightBit && !entity.charset) {
    addCharset = isUtf8(data);
    if (addCharset) change(ctx, entity.path, 'charset=utf-8 declared', '8-bit text without a charset would be read as US-ASCII (RFC 2045 §5.2); its bytes are valid UTF-8');
    else ctx.warnings.push({ code: 'charset-unknown', path: entity.path, message: `part ${entity.path} has 8-bit text without a charset and is not UTF-8; readers will guess` });
  }
  return { body, label, addCharset };
}

function base64Leaf(ctx: EspSafeContext, entity: MimeEntity): LeafOutput {
  const { body, scan } = canonicalScan(ctx, entity);
  if (isSevenBitSafe(scan, ctx.limit)) return { body };
  change(ctx, entity.path, 'base64 re-wrapped in lines of 76', scan.eightBit || scan.nul ? 'the base64 body holds bytes outside its alphabet' : lineReason(ctx, scan));
  return { body: encodeBase64Lines(decodeBody(entity).data) };
}

function quotedPrintableLeaf(ctx: EspSafeContext, entity: MimeEntity): LeafOutput {
  const { body, scan } = canonicalScan(ctx, entity);
  if (isSevenBitSafe(scan, ctx.limit)) return { body };
  const decoded = decodeBody(entity).data;
  if (!entity.contentType.mimeType.startsWith('text/')) return reencode(ctx, entity, decoded, 'quoted-printable', scanBody(decoded));
  change(ctx, entity.path, 'quoted-printable re-encoded', scan.eightBit ? 'the encoded body holds 8-bit bytes (RFC 2045 §6.7)' : lineReason(ctx, scan));
  return { body: encodeQuotedPrintable(toCanonicalCrlf(decoded)) };
}

/** 7bit/8bit bodies are lines of text (RFC 2045 §2.8), so their line endings are canonicalised first. */
function lineLeaf(ctx: EspSafeContext, entity: MimeEntity): LeafOutput {
  const { body: data, joined, scan } = canonicalScan(ctx, entity);
  if (!isSevenBitSafe(scan, ctx.limit)) return reencode(ctx, entity, joined(), entity.transferEncoding, scan);
  warnKeptText(ctx, entity, scan);
  if (entity.transferEncoding === '7bit') return { body: data };
  change(ctx, entity.path, `Content-Transfer-Encoding ${entity.transferEncoding} -> 7bit`, 'the data is 7-bit; an 8bit label invites a relay to convert it (RFC 6152 §3)');
  return { body: data, label: '7bit' };
}

/** Binary bodies are kept byte for byte: base64 of the exact bytes, or 7bit when they already are. */
function binaryLeaf(ctx: EspSafeContext, entity: MimeEntity, raw: Buffer): LeafOutput {
  const scan = scanBody(raw);
  if (!isSevenBitSafe(scan, ctx.limit)) {
    change(ctx, entity.path, 'Content-Transfer-Encoding binary -> base64', 'binary data cannot travel through SMTP without BINARYMIME (RFC 3030)');
    return { body: encodeBase64Lines(raw), label: 'base64' };
  }
  change(ctx, entity.path, 'Content-Transfer-Encoding binary -> 7bit', 'the data is 7-bit with CRLF lines; a binary label invites conversion');
  return { body: raw, label: '7bit' };
}

function leafOutput(ctx: EspSafeContext, entity: MimeEntity): LeafOutput {
  const raw = entity.source.subarray(entity.bodyStart, entity.end);
  const cte = entity.transferEncoding;
  const mimeType = entity.contentType.mimeType;
  if (mimeType.startsWith('multipart/') || mimeType.startsWith('message/')) {
    // A composite whose parts could not be read: RFC 2045 §6.4 forbids encoding it, so it is copied.
    const { body, scan } = canonicalScan(ctx, entity);
    if (!isSevenBitSafe(scan, ctx.limit)) {
      ctx.warnings.push({ code: 'mime-structure', path: entity.path, message: `part ${entity.path} (${mimeType}) could not be split into parts and is not 7-bit safe; copied as is` });
    }
    return { body };
  }
  if (cte === 'base64') return base64Leaf(ctx, entity);
  if (cte === 'quoted-printable') return quotedPrintableLeaf(ctx, entity);
  if (cte === 'binary') return binaryLeaf(ctx, entity, raw);
  if (cte === '7bit' || cte === '8bit') return lineLeaf(ctx, entity);
  const body = canonical(ctx, raw);
  ctx.warnings.push({ code: 'unknown-transfer-encoding', path: entity.path, message: `part ${entity.path} has Content-Transfer-Encoding "${cte}"; it was left as is` });
  return { body };
}

/** Copies one header field; 8-bit fields are encoded and long ones refolded. */
function fieldOutput(ctx: EspSafeContext, entity: MimeEntity, field: HeaderField): Buffer {
  const bytes = fieldBytes(entity.source, field);
  if (hasEightBit(bytes)) {
    change(ctx, entity.path, `${field.name} header encoded (RFC 2047/RFC 2231)`, `8-bit header text: ${REASON_7BIT}`);
    return sevenBitField(field, ctx.limit);
  }
  const longest = longestLine(bytes);
  if (longest <= ctx.limit) return bytes;
  const folded = refoldField(field, ctx.limit);
  if (longestLine(folded) < longest) {
    change(ctx, entity.path, `${field.name} header refolded`, `a header line of ${longest} octets; relays and sending services refold long lines (RFC 5322 §2.1.1)`);
    return folded;
  }
  ctx.warnings.push({ code: 'long-header-line', path: entity.path, message: `${field.name} of part ${entity.path} has a ${longest}-octet line with no place to fold it` });
  return bytes;
}

function contentTypeWithCharset(ctx: EspSafeContext, field: HeaderField | undefined): Buffer {
  const parsed = libmime().parseHeaderValue(field?.value ?? 'text/plain');
  parsed.params = { ...parsed.params, charset: 'utf-8' };
  return foldField(field?.name ?? 'Content-Type', libmime().buildHeaderValue(parsed), ctx.limit);
}

/** The blank line that ends a header block: the input's own bytes when they are CRLF, so the views stay adjacent. */
function blankLine(entity: MimeEntity): Buffer {
  const own = entity.source.subarray(entity.headerEnd - 2, entity.headerEnd);
  return own.equals(CRLF) ? own : CRLF;
}

/** The header block (blank line included) of `entity` with `fields`, applying a new label or charset. */
function headerPieces(ctx: EspSafeContext, entity: MimeEntity, fields: HeaderField[], out: Omit<LeafOutput, 'body'> = {}): Pieces {
  // Fields are copied with CRLF endings (fieldBytes); a bare LF among them is a change to report.
  if (hasBareLf(entity.source.subarray(entity.start, entity.headerEnd))) ctx.sawBareLf = true;
  const pieces = new Pieces();
  let labelled = false;
  let typed = false;
  for (const field of fields) {
    if (field.key === 'content-transfer-encoding' && out.label) {
      if (!labelled) pieces.add(`${field.name}: ${out.label}\r\n`);
      labelled = true;
    } else if (field.key === 'content-type' && out.addCharset && !typed) {
      pieces.add(contentTypeWithCharset(ctx, field));
      typed = true;
    } else {
      pieces.add(fieldOutput(ctx, entity, field));
    }
  }
  if (out.addCharset && !typed) pieces.add(contentTypeWithCharset(ctx, undefined));
  if (out.label && !labelled) pieces.add(`Content-Transfer-Encoding: ${out.label}\r\n`);
  return pieces.add(blankLine(entity));
}

/** Body of a multipart or message/rfc822: the bytes between children (delimiters, preamble, epilogue) kept. */
function containerBody(ctx: EspSafeContext, entity: MimeEntity): Pieces {
  const pieces = new Pieces();
  let pos = entity.bodyStart;
  for (const child of entity.children) {
    pieces.add(canonical(ctx, entity.source.subarray(pos, child.start)), entityPieces(ctx, child, child.headers));
    pos = child.end;
  }
  return pieces.add(canonical(ctx, entity.source.subarray(pos, entity.end)));
}

/** A composite labelled 8bit or binary whose parts are all 7-bit now is relabelled; the body is joined only then. */
function containerLabel(ctx: EspSafeContext, entity: MimeEntity, body: Pieces): string | undefined {
  if (entity.transferEncoding === '7bit' || !IDENTITY_LABELS.has(entity.transferEncoding)) return undefined;
  if (!isSevenBitSafe(scanBody(body.toBuffer()), HARD_LINE_LIMIT)) return undefined;
  change(ctx, entity.path, `Content-Transfer-Encoding ${entity.transferEncoding} -> 7bit`, 'every part inside is now 7-bit (RFC 2045 §6.4: a composite is labelled by its content)');
  return '7bit';
}

/**
 * `entity` with the header fields `fields` (the caller chooses which of the root's fields stay), as pieces:
 * views of the input where nothing changed. Children are done before the entity's own header fields, so
 * changes are reported in that order.
 */
export function entityPieces(ctx: EspSafeContext, entity: MimeEntity, fields: HeaderField[]): Pieces {
  for (const w of entity.warnings) ctx.warnings.push({ code: 'mime-structure', path: entity.path, message: `part ${entity.path}: ${w.message}` });
  if (entity.children.length > 0) {
    const body = containerBody(ctx, entity);
    const label = containerLabel(ctx, entity, body);
    return headerPieces(ctx, entity, fields, label ? { label } : {}).add(body);
  }
  const out = leafOutput(ctx, entity);
  return headerPieces(ctx, entity, fields, out).add(out.body);
}
