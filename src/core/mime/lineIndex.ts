/**
 * Line numbers and line-ending style of a buffer. Entities and header fields ask for their line number when it is
 * first read, usually front to back, so a forward-moving cursor makes all lookups together linear in the input.
 */

const LF = 0x0a;
const CR = 0x0d;

export class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly source: Buffer) {}

  /** 1-based line number of the byte at `target`. */
  lineAt(target: number): number {
    if (target < this.offset) {
      // Out-of-order query: restart from the top rather than give a wrong answer.
      this.offset = 0;
      this.line = 1;
    }
    const src = this.source;
    const stop = Math.min(target, src.length);
    let line = this.line;
    for (let i = this.offset; i < stop; i++) if (src[i] === LF) line++;
    this.offset = stop;
    this.line = line;
    return line;
  }
}

/** Slice size for detectLineEndings: small enough to stay an ordinary young-generation string. */
const LINE_SCAN_SLICE = 64 * 1024;
const BARE_LF = /[^\r]\n/;

/** RFC 5322 §2.1 requires CRLF; files saved to disk often carry bare LF, and edited files a mix of both. */
export function detectLineEndings(source: Buffer): 'crlf' | 'lf' | 'mixed' | 'none' {
  // Scanned in slices with native regular expressions (a JS step per byte or per line is too slow on large
  // mail); each slice includes the byte before it, so a CR LF split across two slices is still seen.
  let crlf = false;
  let bare = false;
  for (let start = 0; start < source.length && !(crlf && bare); start += LINE_SCAN_SLICE) {
    const text = source.toString('latin1', Math.max(0, start - 1), Math.min(source.length, start + LINE_SCAN_SLICE));
    crlf ||= text.includes('\r\n');
    bare ||= (start === 0 && text.startsWith('\n')) || BARE_LF.test(text);
  }
  if (crlf && bare) return 'mixed';
  if (crlf) return 'crlf';
  return bare ? 'lf' : 'none';
}

/** Length of the line ending that ends just before `pos` (2 for CRLF, 1 for LF, 0 for none), not reaching below `floor`. */
export function lineEndingBefore(source: Buffer, pos: number, floor: number): number {
  if (pos - 1 < floor || source[pos - 1] !== LF) return 0;
  return pos - 2 >= floor && source[pos - 2] === CR ? 2 : 1;
}
