/**
 * MIME message parser (RFC 5322 header blocks, RFC 2045-2049 bodies) producing a tree of entities with byte
 * offsets into the input. Nothing is re-serialised: the bytes of any entity are a slice of the input, which is
 * what a signature over a MIME part is computed on (RFC 8551 §3.1.1).
 */
import type { MimeEntity, ParsedMessage, ParseWarning } from './entity';
import { readHeaderBlock } from './headers';
import { readContentInfo } from './contentInfo';
import { BoundaryStack, type Delimiter } from './multipart';
import { LineCounter, detectLineEndings } from './lineIndex';
import { resolveLimits, type MimeLimits } from './limits';

interface ParseContext {
  source: Buffer;
  limits: MimeLimits;
  lines: LineCounter;
  /** Boundaries of the multiparts currently open: any of their delimiter lines ends the entity being read. */
  boundaries: BoundaryStack;
  count: number;
  /** Set when the multipart that reached maxParts stopped: from then on no body is descended into. */
  partsExhausted: boolean;
  /** Parts the enclosing multiparts may still add after that, kept opaque (PART_RESERVE). */
  reserve: number;
}

/**
 * After the part limit stops one multipart, its enclosing multiparts may still add this many parts, each kept
 * opaque: a multipart/signed whose content has more than maxParts parts still has its signature part, so the
 * limit bounds the work without turning a correctly signed message into a malformed one. Twice the depth limit
 * covers one closing part per level.
 */
export const PART_RESERVE = 2 * 64;

/** An entity ends where a delimiter of an enclosing multipart starts (undefined: at the end of the input). */
type Terminator = Delimiter | undefined;

/** Types whose body is a complete message parsed as the child "<path>.1" (RFC 2046 §5.2.1, RFC 6532 §3.7). */
const ENCAPSULATING_TYPES = new Set(['message/rfc822', 'message/global']);
/** RFC 2046 §5.2.1: an encapsulated message may only use an identity encoding; anything else is opaque here. */
const IDENTITY_ENCODINGS = new Set(['7bit', '8bit', 'binary']);

function warn(entity: MimeEntity, code: string, message: string, offset?: number): void {
  entity.warnings.push(offset === undefined ? { code, message } : { code, message, offset });
}

function parseEntity(ctx: ParseContext, start: number, path: string, depth: number, parent: MimeEntity | undefined, defaultType: string): { entity: MimeEntity; terminator: Terminator } {
  ctx.count++;
  const { source, boundaries } = ctx;
  const lines = ctx.lines;
  const isDelimiterLine = (at: number): boolean => boundaries.delimiterAt(at, start) !== undefined;
  const block = readHeaderBlock(source, start, source.length, { limits: ctx.limits, lines: ctx.lines, allowEnvelopeLine: !parent, isDelimiterLine });
  const warnings: ParseWarning[] = block.warnings;
  const info = readContentInfo(source, block.fields, defaultType, warnings);
  const entity: MimeEntity = {
    path,
    source,
    start,
    headerEnd: block.headerEnd,
    bodyStart: block.bodyStart,
    end: source.length,
    // Counted when first read: verification never needs line numbers, and counting them costs a pass over the file.
    get line() {
      return lines.lineAt(start);
    },
    headers: block.fields,
    contentType: info.contentType,
    transferEncoding: info.transferEncoding,
    children: [],
    warnings,
  };
  if (info.charset !== undefined) entity.charset = info.charset;
  if (info.disposition !== undefined) entity.disposition = info.disposition;
  if (info.filename !== undefined) entity.filename = info.filename;
  if (parent) entity.parent = parent;
  const terminator = block.delimiterLine !== undefined ? boundaries.delimiterAt(block.delimiterLine, start) : parseBody(ctx, entity, block.truncated, info.boundary, depth);
  setEnd(entity, terminator ? terminator.start : source.length);
  return { entity, terminator };
}

/** Fixes the entity's end; a header block or blank line whose last line ending belongs to the following
 *  delimiter (RFC 2046 §5.1.1) is clipped to it. */
function setEnd(entity: MimeEntity, end: number): void {
  entity.end = end;
  entity.headerEnd = Math.min(entity.headerEnd, end);
  entity.bodyStart = Math.min(entity.bodyStart, end);
  const last = entity.headers[entity.headers.length - 1];
  if (last && last.end > end) last.end = end;
}

function parseBody(ctx: ParseContext, entity: MimeEntity, truncated: boolean, boundary: Buffer | undefined, depth: number): Terminator {
  const mimeType = entity.contentType.mimeType;
  if (!truncated && mimeType.startsWith('multipart/')) {
    if (!boundary) warn(entity, 'missing-boundary', `${mimeType} without a boundary parameter; body kept opaque`, entity.start);
    else if (canDescend(ctx, entity, depth)) return parseMultipart(ctx, entity, boundary, depth);
  } else if (!truncated && ENCAPSULATING_TYPES.has(mimeType)) {
    return parseEncapsulated(ctx, entity, depth);
  }
  return ctx.boundaries.next(entity.bodyStart, entity.start);
}

function canDescend(ctx: ParseContext, entity: MimeEntity, depth: number): boolean {
  if (ctx.partsExhausted) {
    warn(entity, 'max-parts', `more than ${ctx.limits.maxParts} entities; body kept opaque`, entity.bodyStart);
    return false;
  }
  if (depth < ctx.limits.maxDepth) return true;
  warn(entity, 'max-depth', `nesting deeper than ${ctx.limits.maxDepth}; body kept opaque`, entity.bodyStart);
  return false;
}

function hasRoomForPart(ctx: ParseContext, entity: MimeEntity, offset: number): boolean {
  if (ctx.count < ctx.limits.maxParts) return true;
  if (ctx.partsExhausted && ctx.reserve > 0) {
    ctx.reserve--;
    return true;
  }
  ctx.partsExhausted = true;
  warn(entity, 'max-parts', `more than ${ctx.limits.maxParts} entities; rest kept opaque`, offset);
  return false;
}

function parseEncapsulated(ctx: ParseContext, entity: MimeEntity, depth: number): Terminator {
  const { bodyStart, start } = entity;
  const opaque = (): Terminator => ctx.boundaries.next(bodyStart, start);
  if (!IDENTITY_ENCODINGS.has(entity.transferEncoding)) {
    warn(entity, 'encoded-message', `${entity.contentType.mimeType} with ${entity.transferEncoding} encoding is not parsed in place`, bodyStart);
    return opaque();
  }
  if (bodyStart >= ctx.source.length || ctx.boundaries.delimiterAt(bodyStart, start)) {
    warn(entity, 'empty-message', 'encapsulated message is empty', bodyStart);
    return opaque();
  }
  if (!canDescend(ctx, entity, depth) || !hasRoomForPart(ctx, entity, bodyStart)) return opaque();
  const child = parseEntity(ctx, bodyStart, `${entity.path}.1`, depth + 1, entity, 'text/plain');
  entity.children.push(child.entity);
  return child.terminator;
}

/** Splits a multipart body into preamble, parts and epilogue (RFC 2046 §5.1.1). */
function parseMultipart(ctx: ParseContext, entity: MimeEntity, boundary: Buffer, depth: number): Terminator {
  const { bodyStart, start } = entity;
  const { boundaries, source } = ctx;
  const boundaryText = boundary.toString('latin1');
  const enclosing = boundaries.conflicting(boundary);
  if (enclosing) {
    warn(entity, 'ambiguous-boundary', `boundary "${boundaryText}" and the enclosing boundary "${enclosing.toString('latin1')}" start alike; readers split the parts differently`, entity.start);
  }
  const frame = boundaries.push(boundary);
  const childType = entity.contentType.mimeType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
  const first = boundaries.next(bodyStart, start);
  if (!first || first.frame !== frame) {
    boundaries.pop(frame);
    const end = first ? first.start : source.length;
    warn(entity, 'boundary-not-found', `boundary "${boundaryText}" never appears; body kept as preamble`, bodyStart);
    entity.multipart = { boundary: boundaryText, preamble: [bodyStart, end], epilogue: [end, end], closed: false };
    return first;
  }
  // RFC 2046 §5.1.1 "[preamble CRLF] dash-boundary": without a preamble there is no line ending to claim.
  first.start = Math.max(first.start, bodyStart);
  const preamble: [number, number] = [bodyStart, first.start];
  let delimiter: Terminator = first;
  while (delimiter && delimiter.frame === frame && !delimiter.close) {
    if (!hasRoomForPart(ctx, entity, delimiter.start)) {
      boundaries.pop(frame);
      const after = boundaries.next(delimiter.end, start);
      entity.multipart = { boundary: boundaryText, preamble, epilogue: [delimiter.start, after ? after.start : source.length], closed: false };
      return after;
    }
    const path = `${entity.path}.${entity.children.length + 1}`;
    const child = parseEntity(ctx, delimiter.end, path, depth + 1, entity, childType);
    if (child.entity.start === child.entity.end) warn(entity, 'empty-part', `part ${path} is empty`, child.entity.start);
    entity.children.push(child.entity);
    delimiter = child.terminator;
  }
  boundaries.pop(frame);
  if (frame.lookAlike !== undefined) {
    warn(entity, 'ambiguous-boundary', `a line starts with the delimiter "--${boundaryText}" and goes on with other text; readers that match delimiters by prefix split the parts there`, frame.lookAlike);
  }
  if (!delimiter || delimiter.frame !== frame) {
    const end = delimiter ? delimiter.start : source.length;
    warn(entity, 'missing-close-boundary', `close delimiter "--${boundaryText}--" not found`, end);
    entity.multipart = { boundary: boundaryText, preamble, epilogue: [end, end], closed: false };
    return delimiter;
  }
  if (entity.children.length === 0) warn(entity, 'no-parts', 'multipart has a close delimiter but no parts (RFC 2046 §5.1.1 requires one)', delimiter.start);
  const after = boundaries.next(delimiter.end, start);
  const end = after ? after.start : source.length;
  // An enclosing delimiter right after the close line claims that line's line ending.
  entity.multipart = { boundary: boundaryText, preamble, epilogue: [Math.min(delimiter.end, end), end], closed: true };
  return after;
}

function collectWarnings(root: MimeEntity, into: ParseWarning[]): void {
  for (const entity of walk(root)) for (const warning of entity.warnings) into.push(warning);
}

/** Parses a message. Never throws: malformed input yields the readable part of the tree plus warnings. */
export function parseMessage(buf: Buffer, options?: Partial<MimeLimits>): ParsedMessage {
  const source = Buffer.isBuffer(buf) ? buf : Buffer.from(buf ?? []);
  const warnings: ParseWarning[] = [];
  let root: MimeEntity;
  let entityCount: number;
  try {
    const ctx: ParseContext = { source, limits: resolveLimits(options), lines: new LineCounter(source), boundaries: new BoundaryStack(source), count: 0, partsExhausted: false, reserve: PART_RESERVE };
    root = parseEntity(ctx, 0, '1', 0, undefined, 'text/plain').entity;
    entityCount = ctx.count;
  } catch (error) {
    root = opaqueRoot(source, error);
    entityCount = 1;
  }
  collectWarnings(root, warnings);
  // Scanning a large file for its line endings costs time that verification does not need: computed on first use.
  let lineEndings: ParsedMessage['lineEndings'] | undefined;
  return {
    root,
    source,
    get lineEndings() {
      return (lineEndings ??= detectLineEndings(source));
    },
    warnings,
    entityCount,
  };
}

/** Last resort when the parser itself fails: the whole input as one opaque entity. */
function opaqueRoot(source: Buffer, error: unknown): MimeEntity {
  const message = error instanceof Error ? error.message : String(error);
  return {
    path: '1', source, start: 0, headerEnd: 0, bodyStart: 0, end: source.length, line: 1, headers: [],
    contentType: { mimeType: 'application/octet-stream', params: {}, defaulted: true },
    transferEncoding: 'binary', children: [],
    warnings: [{ code: 'internal-error', message: `parser failed: ${message}; whole input kept opaque`, offset: 0 }],
  };
}

/** Pre-order traversal (document order), iterative so deep trees cannot overflow the stack. */
export function* walk(root: MimeEntity): Generator<MimeEntity> {
  const stack: MimeEntity[] = [root];
  while (stack.length > 0) {
    const entity = stack.pop() as MimeEntity;
    yield entity;
    for (let i = entity.children.length - 1; i >= 0; i--) stack.push(entity.children[i]);
  }
}

/** The entity with this part path ("1", "1.2.1", ...), or undefined. */
export function findEntity(root: MimeEntity, path: string): MimeEntity | undefined {
  if (path === root.path) return root;
  if (!path.startsWith(`${root.path}.`)) return undefined;
  let entity: MimeEntity | undefined = root;
  for (const step of path.slice(root.path.length + 1).split('.')) {
    if (!entity || !/^[1-9]\d*$/.test(step)) return undefined;
    entity = entity.children[Number(step) - 1];
  }
  return entity;
}

/** The entity's bytes exactly as in the input, headers included: what multipart/signed signs. */
export function entityBytes(entity: MimeEntity): Buffer {
  return entity.source.subarray(entity.start, entity.end);
}

/** The entity's body bytes, still transfer-encoded. */
export function bodyBytes(entity: MimeEntity): Buffer {
  return entity.source.subarray(entity.bodyStart, entity.end);
}
