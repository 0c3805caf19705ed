/**
 * Maps the core's byte offsets to the editor's (line, character) positions and back. Plain TypeScript, no
 * `vscode`, so it can be tested with node:test.
 *
 * Line breaks are found on the bytes with the editor's rules (CRLF, LF or a lone CR each end a line); they are
 * ASCII in every encoding an .eml file can be opened with, so line numbers never depend on the decoding. Only the
 * character within a line does: the line's bytes before the offset are decoded with the same decoder the editor
 * used and their UTF-16 length is the character (ASCII-only prefixes skip the decoding).
 */

export interface TextPosition {
  line: number;
  character: number;
}

/** Decodes one line's bytes as the editor did (UTF-8 with replacement characters by default). */
export type LineDecoder = (bytes: Uint8Array) => string;

const LF = 0x0a;
const CR = 0x0d;

const utf8Lenient = new TextDecoder('utf-8', { fatal: false });
export const decodeUtf8: LineDecoder = (bytes) => utf8Lenient.decode(bytes);
export const decodeLatin1: LineDecoder = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

export class ByteLineMap {
  /** Byte offset where each line starts. */
  private readonly starts: number[];
  /** Byte offset where each line's content ends (before its line break). */
  private readonly contentEnds: number[];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly decode: LineDecoder = decodeUtf8,
  ) {
    const starts = [0];
    const ends: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === LF) {
        ends.push(i > 0 && bytes[i - 1] === CR ? i - 1 : i);
        starts.push(i + 1);
      } else if (b === CR && bytes[i + 1] !== LF) {
        ends.push(i);
        starts.push(i + 1);
      }
    }
    ends.push(bytes.length);
    this.starts = starts;
    this.contentEnds = ends;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based line holding the byte at `offset` (offsets past the end give the last line). */
  lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset just before the line break of `line`. */
  lineContentEnd(line: number): number {
    return this.contentEnds[Math.max(0, Math.min(line, this.contentEnds.length - 1))];
  }

  /** The line's text as the editor shows it. */
  lineText(line: number): string {
    return this.decode(this.bytes.subarray(this.lineStart(line), this.lineContentEnd(line)));
  }

  positionAt(offset: number): TextPosition {
    const clamped = Math.max(0, Math.min(offset, this.bytes.length));
    const line = this.lineOf(clamped);
    const start = this.starts[line];
    // An offset inside a CRLF (or on the break) is the end of the line's content.
    const end = Math.min(clamped, this.contentEnds[line]);
    return { line, character: this.charactersIn(start, end) };
  }

  /** Byte offset of an editor position (the inverse of positionAt for positions inside a line). */
  offsetAt(position: TextPosition): number {
    const line = Math.max(0, Math.min(position.line, this.starts.length - 1));
    const start = this.starts[line];
    const end = this.contentEnds[line];
    if (this.isAscii(start, end)) return Math.min(start + Math.max(0, position.character), end);
    // Grow the prefix byte by byte until it decodes to `character` UTF-16 units: lines are short. A UTF-8
    // continuation byte is never a boundary (a cut sequence would decode to one replacement character).
    const utf8 = this.decode === decodeUtf8;
    for (let i = start; i < end; i++) {
      if (utf8 && (this.bytes[i] & 0xc0) === 0x80) continue;
      if (this.charactersIn(start, i) >= position.character) return i;
    }
    return end;
  }

  private charactersIn(start: number, end: number): number {
    if (this.isAscii(start, end)) return end - start;
    return this.decode(this.bytes.subarray(start, end)).length;
  }

  private isAscii(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.bytes[i] > 0x7f) return false;
    return true;
  }
}
