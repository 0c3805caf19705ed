/**
 * Splits a message into the header fields that stay outside the S/MIME layer and the MIME entity that is
 * signed or encrypted (RFC 8551 §3.1: only the entity is protected; From, To, Subject ... travel outside),
 * and makes that entity ESP-safe (espSafe.ts). With `protectHeaders` the whole message is wrapped as
 * message/rfc822 so that its header fields are inside the signature too (RFC 8551 §3.1).
 */
import { parseMailDate } from '../../mime/date';
import type { HeaderField } from '../../mime/entity';
import { parseMessage } from '../../mime/parser';
import { parseAddressList, type MailAddress } from '../addresses';
import { hasBareLf } from '../canonical';
import { fieldBytes, hasEightBit, longestLine } from './headers';
import { EntityDigest } from './entityDigest';
import { entityPieces, type EspSafeContext } from './espSafe';
import { Pieces } from './pieces';
import { ENCODED_LINE_LENGTH, HARD_LINE_LIMIT } from './transferEncode';
import type { ComposeWarning, PreflightChange } from './types';
import type { SigningDigestName } from '../../digests';

/** Trace and transport fields: added by relays for this hop, never part of what the author wrote. */
const TRANSPORT_FIELDS = new Set(['received', 'return-path', 'delivered-to', 'dkim-signature', 'authentication-results', 'x-original-to']);
const CRLF = Buffer.from('\r\n');

export interface PrepareOptions {
  /** Wrap the whole message as message/rfc822 inside the protection (RFC 8551 §3.1). */
  protectHeaders?: boolean;
  /**
   * Longest line left as is inside the entity. Default 76 (RFC 2045 §6.8's encoded line length): sending
   * services re-wrap longer lines. 998 keeps every line RFC 5322 allows.
   */
  maxLineLength?: number;
  /** Hash the entity in the same pass as the ESP-safety scan (entityDigest.ts), for signing it. */
  onePassDigest?: SigningDigestName;
  /** With onePassDigest: a multipart/signed boundary to look for in the entity in the same pass. */
  boundaryCandidate?: string;
}

export interface MessageAddresses {
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
}

export interface PreparedMessage {
  /** The fields that stay outside, each CRLF-terminated, in input order (MIME-Version and Content-* excluded). */
  outerHeaders: Buffer;
  /** The entity to sign or encrypt: Content-* fields, blank line, body; CRLF throughout, ends with CRLF. */
  entity: Buffer;
  preflight: PreflightChange[];
  warnings: ComposeWarning[];
  addresses: MessageAddresses;
  /** The Date header, when present and readable. */
  date: Date | null;
  /** The digest of `entity` asked for with `onePassDigest`, when the one-pass hash could be proven to cover it. */
  digest?: { algorithm: SigningDigestName; value: Buffer };
  /** `boundaryCandidate`, when the same pass proved that it does not occur in `entity`. */
  boundary?: string;
}

function isContentField(field: HeaderField): boolean {
  return field.key.startsWith('content-');
}

function addressesOf(fields: HeaderField[], key: string): MailAddress[] {
  return fields.filter((f) => f.key === key).flatMap((f) => parseAddressList(f.value));
}

function dateOfFields(fields: HeaderField[]): Date | null {
  const value = fields.find((f) => f.key === 'date')?.value;
  return value ? parseMailDate(value) : null;
}

function outerWarnings(source: Buffer, outer: HeaderField[], ctx: EspSafeContext, protect: boolean): void {
  for (const field of outer) {
    const bytes = fieldBytes(source, field);
    if (hasEightBit(bytes)) {
      ctx.warnings.push({ code: 'header-8bit', message: `${field.name} has 8-bit text: it is outside the signature, but relays without SMTPUTF8 (RFC 6531) may refuse or re-encode it` });
    }
    if (longestLine(bytes) > HARD_LINE_LIMIT) {
      ctx.warnings.push({ code: 'long-header-line', message: `${field.name} has a line over ${HARD_LINE_LIMIT} octets (RFC 5322 §2.1.1): relays will fold or reject it` });
    }
  }
  if (outer.some((f) => f.key === 'bcc')) {
    const where = protect ? 'it was left out of the protected copy, but it is still in the outer header' : 'it is in the outer header';
    ctx.warnings.push({ code: 'bcc-present', message: `Bcc header present: ${where}; send through a path that removes it, or every recipient sees the Bcc addresses` });
  }
  if (!outer.some((f) => f.key === 'from')) {
    ctx.warnings.push({ code: 'no-from', message: 'no From header: recipients cannot match the sender to the certificate' });
  }
}

/** The original message (minus Bcc and transport fields) as a message/rfc822 entity. */
function protectedEntity(ctx: EspSafeContext, root: ReturnType<typeof parseMessage>['root']): Pieces {
  const kept = root.headers.filter((f) => f.key !== 'bcc' && !TRANSPORT_FIELDS.has(f.key));
  if (kept.length < root.headers.length) {
    const dropped = [...new Set(root.headers.filter((f) => !kept.includes(f)).map((f) => f.name))].join(', ');
    ctx.changes.push({ path: '1', change: `${dropped} left out of the protected header copy`, reason: 'Bcc would be shown to every recipient; trace fields belong to one hop' });
  }
  if (!kept.some((f) => f.key === 'mime-version')) {
    ctx.changes.push({ path: '1', change: 'MIME-Version: 1.0 added to the protected copy', reason: 'a MIME message needs it (RFC 2045 §4)' });
  }
  const mimeVersion = kept.some((f) => f.key === 'mime-version') ? '' : 'MIME-Version: 1.0\r\n';
  const inner = entityPieces(ctx, root, kept);
  ctx.changes.push({ path: '1', change: 'message wrapped as message/rfc822', reason: 'so its header fields are inside the protection (RFC 8551 §3.1)' });
  return new Pieces().add('Content-Type: message/rfc822\r\n\r\n', mimeVersion, inner);
}

/** Whether the entity's own header block has a Content-Type field. */
function hasContentType(entity: Buffer): boolean {
  if (entity.subarray(0, 2).toString('latin1') === '\r\n') return false;
  const end = entity.indexOf('\r\n\r\n');
  const block = entity.toString('latin1', 0, end === -1 ? 0 : end + 2);
  return /^content-type[ \t]*:/im.test(block);
}

function endsWithCrlf(data: Buffer): boolean {
  return data.length >= 2 && data[data.length - 2] === 0x0d && data[data.length - 1] === 0x0a;
}

/** Never throws: unreadable structure is copied and reported in `warnings`. */
export function prepareMessage(input: Buffer, options: PrepareOptions = {}): PreparedMessage {
  const parsed = parseMessage(input);
  const root = parsed.root;
  const ctx: EspSafeContext = { limit: options.maxLineLength ?? ENCODED_LINE_LENGTH, changes: [], warnings: [] };
  const outer = root.headers.filter((f) => !isContentField(f) && f.key !== 'mime-version');
  // The entity starts at the first Content-* field when those fields close the header block (the usual order).
  const entityStart = root.headers.find(isContentField)?.start ?? root.headerEnd;
  if (options.onePassDigest && !options.protectHeaders) ctx.digest = new EntityDigest(input, entityStart, options.onePassDigest, options.boundaryCandidate);
  outerWarnings(input, outer, ctx, options.protectHeaders === true);
  // Joined once: a view of the input, not a copy, when nothing had to change.
  let entity = (options.protectHeaders ? protectedEntity(ctx, root) : entityPieces(ctx, root, root.headers.filter(isContentField))).toBuffer();
  if (!options.protectHeaders && !hasContentType(entity)) {
    // RFC 2045 §5.2 default, written out: an entity with an empty header block confuses some readers.
    entity = Buffer.concat([Buffer.from('Content-Type: text/plain\r\n'), entity]);
    ctx.changes.push({ path: '1', change: 'Content-Type: text/plain made explicit', reason: 'the message had none; text/plain is the RFC 2045 §5.2 default' });
  }
  // Bare LFs were made CRLF wherever they were met (RFC 8551 §3.1.1); said once, first, as the largest change.
  if (ctx.sawBareLf || hasBareLf(input.subarray(0, root.headerEnd))) {
    ctx.warnings.unshift({ code: 'bare-lf', message: `the input has ${parsed.lineEndings === 'lf' ? 'LF' : 'mixed'} line endings; they were made CRLF` });
    ctx.changes.unshift({ path: '1', change: 'line endings LF -> CRLF', reason: 'signatures are computed over the canonical CRLF form (RFC 8551 §3.1.1)' });
  }
  if (!endsWithCrlf(entity)) {
    entity = Buffer.concat([entity, CRLF]);
    ctx.changes.push({ path: '1', change: 'final line break added', reason: 'some transports add one; it must already be there when the content is signed' });
  }
  const digest = ctx.digest?.digestOf(entity, root.end);
  return {
    ...(digest && options.onePassDigest ? { digest: { algorithm: options.onePassDigest, value: digest.value } } : {}),
    ...(digest?.boundaryAbsent ? { boundary: options.boundaryCandidate } : {}),
    outerHeaders: Buffer.concat(outer.map((f) => fieldBytes(input, f))),
    entity,
    preflight: ctx.changes,
    warnings: ctx.warnings,
    addresses: { from: addressesOf(outer, 'from'), to: addressesOf(outer, 'to'), cc: addressesOf(outer, 'cc'), bcc: addressesOf(outer, 'bcc') },
    date: dateOfFields(outer),
  };
}

/**
 * Where the header block ends: just past the first empty line (RFC 5322 §2.1), or the whole input when there is
 * none. Parsing only this much gives the same header fields without reading a large body.
 */
export function headerBlockEnd(input: Buffer): number {
  if (input[0] === 0x0a) return 1;
  if (input[0] === 0x0d && input[1] === 0x0a) return 2;
  // Line by line from the top: the header block is short, the body may be megabytes.
  for (let lf = input.indexOf(0x0a); lf !== -1; lf = input.indexOf(0x0a, lf + 1)) {
    if (input[lf + 1] === 0x0a) return lf + 2;
    if (input[lf + 1] === 0x0d && input[lf + 2] === 0x0a) return lf + 3;
  }
  return input.length;
}

/** From/To/Cc/Bcc of a message, e.g. to look up recipient certificates before encrypting. */
export function messageAddresses(input: Buffer): MessageAddresses {
  const fields = parseMessage(input.subarray(0, headerBlockEnd(input))).root.headers;
  return { from: addressesOf(fields, 'from'), to: addressesOf(fields, 'to'), cc: addressesOf(fields, 'cc'), bcc: addressesOf(fields, 'bcc') };
}

/** Outer header fields, MIME-Version and the S/MIME entity: the message as written to disk (CRLF). */
export function assembleMessage(outerHeaders: Buffer, smimeEntity: Buffer): Buffer {
  return messagePieces(outerHeaders, smimeEntity).toBuffer();
}

/** assembleMessage as pieces, so a large S/MIME entity is copied (or base64-encoded) once, into the message. */
export function messagePieces(outerHeaders: Buffer, smimeEntity: Buffer | Pieces): Pieces {
  return new Pieces().add(outerHeaders, 'MIME-Version: 1.0\r\n', smimeEntity);
}
