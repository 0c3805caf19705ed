/**
 * Delimiter lines of multipart bodies (RFC 2046 §5.1.1). A delimiter line is "--" boundary at the start of a
 * line, optional transport padding (SP / HT) and a line ending (or the end of the input); the close delimiter
 * has "--" after the boundary. The line ending BEFORE a delimiter belongs to the delimiter, so it is not part
 * of the preceding body part: this is what makes the first part of a multipart/signed hash to the right bytes
 * (RFC 8551 §3.5).
 *
 * All open multiparts share one forward scan: a candidate line ("--" at a line start) is compared with every
 * active boundary, innermost first, so each input byte is scanned once however deep the nesting.
 */
import { lineEndingBefore } from './lineIndex';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const DASH = 0x2d;
const LINE_THEN_DASHES = Buffer.from('\n--');
const DASHES = Buffer.from('--');
/** "--" found not at a line start before nextCandidate searches for "\n--" instead. */
const MAX_DASH_MISSES = 16;
/** Lines up to this length are measured byte by byte (RFC 2046 boundaries have at most 70 characters). */
const SHORT_LINE = 96;

export interface Frame {
  boundary: Buffer;
  /** The first line that starts with "--" and this boundary but goes on with other text: not a delimiter here
   *  (RFC 2046 §5.1.1 allows only padding after the boundary), a delimiter to readers that match by prefix. */
  lookAlike?: number;
}

export interface Delimiter {
  /** The multipart whose boundary this line carries. */
  frame: Frame;
  /** Start of the line ending that precedes the "--" (never below the floor passed to the search). */
  start: number;
  /** Offset of the "--". */
  marker: number;
  /** Just past the delimiter line's own line ending (or the end of the input). */
  end: number;
  close: boolean;
}

export class BoundaryStack {
  private readonly frames: Frame[] = [];

  constructor(private readonly source: Buffer) {}

  get depth(): number {
    return this.frames.length;
  }

  push(boundary: Buffer): Frame {
    const frame: Frame = { boundary };
    this.frames.push(frame);
    return frame;
  }

  /** An enclosing boundary that equals `boundary`, starts with it or is its start. RFC 2046 §5.1.2 forbids such
   *  nesting: readers that match delimiter lines by prefix end the wrong part there. */
  conflicting(boundary: Buffer): Buffer | undefined {
    for (const { boundary: open } of this.frames) {
      const shorter = Math.min(open.length, boundary.length);
      if (open.compare(boundary, 0, shorter, 0, shorter) === 0) return open;
    }
    return undefined;
  }

  /** Removes `frame` (always the innermost: multiparts close in nesting order). */
  pop(frame: Frame): void {
    const index = this.frames.lastIndexOf(frame);
    if (index >= 0) this.frames.length = index;
  }

  /** The delimiter line starting at `lineStart`, or undefined when the line is not one. */
  delimiterAt(lineStart: number, floor: number): Delimiter | undefined {
    const src = this.source;
    if (this.frames.length === 0 || src[lineStart] !== DASH || src[lineStart + 1] !== DASH) return undefined;
    const line = this.lineAt(lineStart);
    const tokenStart = lineStart + 2;
    const tokenLength = line.contentEnd - tokenStart;
    const endsInDashes = tokenLength >= 2 && src[line.contentEnd - 1] === DASH && src[line.contentEnd - 2] === DASH;
    // Innermost first; lengths are compared before bytes, since crafted input can hold millions of "--" lines.
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const { boundary } = this.frames[i];
      const length = boundary.length;
      const close = endsInDashes && length === tokenLength - 2;
      if (length !== tokenLength && !close) {
        if (length < tokenLength && src[tokenStart] === boundary[0]) this.noteLookAlike(this.frames[i], lineStart, tokenStart);
        continue;
      }
      if (src.compare(boundary, 0, length, tokenStart, tokenStart + length) !== 0) continue;
      return { frame: this.frames[i], start: lineStart - lineEndingBefore(src, lineStart, floor), marker: lineStart, end: line.end, close };
    }
    return undefined;
  }

  /** Records a look-alike line of `frame`, whose boundary is shorter than the line's token and shares its first
   *  byte. Compares at most the boundary's length, inside this line only, byte by byte: most lines differ in the
   *  first bytes, where a call into compare would cost more than the bytes. */
  private noteLookAlike(frame: Frame, lineStart: number, tokenStart: number): void {
    const { boundary } = frame;
    if (frame.lookAlike !== undefined) return;
    const src = this.source;
    for (let k = 1; k < boundary.length; k++) if (src[tokenStart + k] !== boundary[k]) return;
    frame.lookAlike = lineStart;
  }

  /** End of the line and of its content without line ending and transport padding. A short manual scan finds
   *  the end of short lines, where a call into indexOf would cost more than the line. */
  private lineAt(lineStart: number): { contentEnd: number; end: number } {
    const src = this.source;
    const shortLimit = Math.min(src.length, lineStart + SHORT_LINE);
    let nl = -1;
    for (let i = lineStart; i < shortLimit; i++) {
      if (src[i] === LF) {
        nl = i;
        break;
      }
    }
    if (nl < 0 && shortLimit < src.length) nl = src.indexOf(LF, shortLimit);
    const end = nl < 0 ? src.length : nl + 1;
    let contentEnd = nl < 0 ? src.length : nl;
    if (contentEnd > lineStart && src[contentEnd - 1] === CR) contentEnd--;
    while (contentEnd > lineStart + 2 && (src[contentEnd - 1] === SP || src[contentEnd - 1] === HT)) contentEnd--;
    return { contentEnd, end };
  }

  /** The first delimiter line of any active boundary at or after `from` (which must be a line start or lie
   *  inside a line that is not a delimiter). `floor` bounds the line ending that is claimed before it. */
  next(from: number, floor: number): Delimiter | undefined {
    if (this.frames.length === 0) return undefined;
    const src = this.source;
    if (from === 0 || src[from - 1] === LF) {
      const here = this.delimiterAt(from, floor);
      if (here) return here;
    }
    let pos = from;
    for (;;) {
      const at = this.nextCandidate(pos);
      if (at < 0) return undefined;
      const found = this.delimiterAt(at + 1, floor);
      if (found) return found;
      pos = at + 1;
    }
  }

  /** Offset of the next "\n--" at or after `pos`, or -1. Looks a short way byte by byte first: in a body made of
   *  many short "--" lines the call into indexOf costs more than the bytes it skips. Past that, it searches for
   *  "--" and checks the byte before: "--" is rare in bodies (base64 has no "-"), while the LF that "\n--" starts
   *  with ends every line, which makes that search about twice as slow. */
  private nextCandidate(pos: number): number {
    const src = this.source;
    const shortLimit = Math.min(src.length - 2, pos + SHORT_LINE);
    for (let i = pos; i < shortLimit; i++) {
      if (src[i] === LF && src[i + 1] === DASH && src[i + 2] === DASH) return i;
    }
    if (shortLimit >= src.length - 2) return -1;
    // The first "--" at or after shortLimit + 1 carries the first "\n--" at or after shortLimit, if an LF precedes
    // it. When none does, a later "\n--" starts at an LF, so past this run of dashes: each byte is looked at once.
    // Text full of "--" not at line starts would make many calls: after a few, the LF search takes over.
    let misses = 0;
    for (let q = src.indexOf(DASHES, shortLimit + 1); q !== -1; ) {
      if (src[q - 1] === LF) return q - 1;
      let next = q + 2;
      while (next < src.length && src[next] === DASH) next++;
      if (++misses > MAX_DASH_MISSES) return src.indexOf(LINE_THEN_DASHES, next);
      q = src.indexOf(DASHES, next + 1);
    }
    return -1;
  }
}

