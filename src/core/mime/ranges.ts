/**
 * The byte layout of a parsed message as consecutive ranges: header blocks, leaf bodies, preambles, delimiter
 * lines and epilogues. Together they tile the input exactly, which is how the parser's offsets are checked and
 * how an editor can map any byte back to the part that owns it.
 */
import type { MimeEntity, ParsedMessage } from './entity';
import { findEntity } from './parser';

export type ByteRangeKind = 'headers' | 'body' | 'preamble' | 'delimiter' | 'epilogue';

export interface ByteRange {
  kind: ByteRangeKind;
  /** Path of the entity the range belongs to (for a delimiter: the multipart it splits). */
  path: string;
  start: number;
  end: number;
}

function pushRange(out: ByteRange[], kind: ByteRangeKind, path: string, start: number, end: number): void {
  out.push({ kind, path, start, end });
}

function collect(entity: MimeEntity, out: ByteRange[]): void {
  pushRange(out, 'headers', entity.path, entity.start, entity.bodyStart);
  const layout = entity.multipart;
  if (layout) {
    pushRange(out, 'preamble', entity.path, layout.preamble[0], layout.preamble[1]);
    let cursor = layout.preamble[1];
    for (const child of entity.children) {
      pushRange(out, 'delimiter', entity.path, cursor, child.start);
      collect(child, out);
      cursor = child.end;
    }
    pushRange(out, 'delimiter', entity.path, cursor, layout.epilogue[0]);
    pushRange(out, 'epilogue', entity.path, layout.epilogue[0], layout.epilogue[1]);
    pushRange(out, 'body', entity.path, layout.epilogue[1], entity.end);
  } else if (entity.children.length > 0) {
    // An encapsulated message: its body is the child entity.
    let cursor = entity.bodyStart;
    for (const child of entity.children) {
      pushRange(out, 'body', entity.path, cursor, child.start);
      collect(child, out);
      cursor = child.end;
    }
    pushRange(out, 'body', entity.path, cursor, entity.end);
  } else {
    pushRange(out, 'body', entity.path, entity.bodyStart, entity.end);
  }
}

/** All ranges in document order, empty ones dropped. For a well-formed tree they are contiguous from 0 to the
 *  input length (see checkRanges). */
export function entityRanges(msg: Pick<ParsedMessage, 'root'>): ByteRange[] {
  const out: ByteRange[] = [];
  collect(msg.root, out);
  return out.filter((range) => range.end !== range.start);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Problems with the layout: gaps, overlaps, ranges outside the input, delimiter ranges that are not exactly
 *  one delimiter line. An empty list means the ranges rebuild the input byte for byte. */
export function checkRanges(msg: Pick<ParsedMessage, 'root' | 'source'>): string[] {
  const problems: string[] = [];
  const all: ByteRange[] = [];
  collect(msg.root, all);
  let cursor = 0;
  for (const range of all) {
    if (range.end < range.start) problems.push(`${range.kind} of ${range.path} ends before it starts (${range.start}..${range.end})`);
    if (range.start !== cursor) problems.push(`${range.kind} of ${range.path} starts at ${range.start}, expected ${cursor}`);
    cursor = Math.max(cursor, range.end);
  }
  if (cursor !== msg.source.length) problems.push(`ranges end at ${cursor}, input has ${msg.source.length} bytes`);
  const delimiterLine = new Map<string, RegExp>();
  for (const range of all) {
    if (range.kind !== 'delimiter' || range.start === range.end) continue;
    let pattern = delimiterLine.get(range.path);
    if (!pattern) {
      const owner = findEntity(msg.root, range.path);
      const boundary = escapeRegExp(owner?.multipart?.boundary ?? '');
      pattern = new RegExp(`^(\\r?\\n)?--${boundary}(--)?[ \\t]*(\\r?\\n|\\r)?$`);
      delimiterLine.set(range.path, pattern);
    }
    const text = msg.source.toString('latin1', range.start, range.end);
    if (!pattern.test(text)) problems.push(`delimiter range of ${range.path} at ${range.start} is ${JSON.stringify(text.slice(0, 80))}`);
  }
  return problems;
}

/** Concatenates the ranges: equals the input when checkRanges reports nothing. */
export function rebuildFromRanges(msg: Pick<ParsedMessage, 'root' | 'source'>): Buffer {
  return Buffer.concat(entityRanges(msg).map((range) => msg.source.subarray(range.start, range.end)));
}
