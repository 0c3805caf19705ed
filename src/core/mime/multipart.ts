/**
 * Delimiter search for multipart bodies (RFC 2046 §5.1.1). A delimiter line is "--" boundary at the start of a
 * line, optional transport padding (SP / HT) and a line ending; the close delimiter has "--" after the boundary.
 * The line ending BEFORE a delimiter belongs to the delimiter, so it is not part of the preceding body part:
 * this is what makes the first part of a multipart/signed hash to the right bytes (RFC 8551 §3.5).
 */
import { lineEndingBefore } from './lineIndex';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const DASH = 0x2d;

export interface Delimiter {
  /** Start of the line ending that precedes the "--" (or the "--" itself at the start of the body). */
  start: number;
  /** Offset of the "--". */
  marker: number;
  /** Just past the delimiter line's own line ending (or the end of the body). */
  end: number;
  close: boolean;
}

/** Finds delimiter lines of one boundary inside [bodyStart, bodyEnd), front to back. */
export class DelimiterScanner {
  private readonly view: Buffer;
  private readonly needle: Buffer;
  private pos = 0;

  constructor(
    private readonly source: Buffer,
    private readonly bodyStart: number,
    bodyEnd: number,
    boundary: Buffer,
  ) {
    // A bounded view: indexOf must not run past the entity into the rest of the file.
    this.view = source.subarray(bodyStart, bodyEnd);
    this.needle = Buffer.concat([Buffer.from('--'), boundary]);
  }

  /** The next delimiter not before `notBefore` (absolute offset), or undefined when there is none. */
  next(notBefore: number): Delimiter | undefined {
    const { view, needle } = this;
    for (;;) {
      const at = view.indexOf(needle, this.pos);
      if (at < 0) {
        this.pos = view.length;
        return undefined;
      }
      this.pos = at + 1;
      if (at > 0 && view[at - 1] !== LF) continue; // not at the start of a line
      const tail = this.lineTail(at + needle.length);
      if (!tail) continue; // e.g. "--boundaryX": a longer boundary, or text that merely starts like one
      this.pos = tail.end;
      const marker = this.bodyStart + at;
      const floor = Math.max(notBefore, this.bodyStart);
      const start = marker - lineEndingBefore(this.source, marker, floor);
      return { start, marker, end: this.bodyStart + tail.end, close: tail.close };
    }
  }

  /** Checks what follows the boundary: optional "--", transport padding, then a line ending or the end. */
  private lineTail(from: number): { end: number; close: boolean } | undefined {
    const { view } = this;
    let i = from;
    let close = false;
    if (view[i] === DASH && view[i + 1] === DASH) {
      close = true;
      i += 2;
    }
    while (i < view.length && (view[i] === SP || view[i] === HT)) i++;
    if (i >= view.length) return { end: view.length, close };
    if (view[i] === LF) return { end: i + 1, close };
    if (view[i] === CR && view[i + 1] === LF) return { end: i + 2, close };
    if (view[i] === CR && i + 1 === view.length) return { end: i + 1, close };
    return undefined;
  }
}
