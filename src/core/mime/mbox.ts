/**
 * Splitting an mbox archive into its messages, chunk by chunk, so an archive of any size is read with flat memory.
 *
 * The format (RFC 4155 §2 and the "mboxrd" convention most writers follow): each message starts with a "From "
 * separator line at the start of a line; body lines that began with "From " (or ">From ", ">>From ", ...) were
 * written with one more ">" in front. Reading undoes that quoting, so the bytes a signature covers come back as the
 * sender signed them. The empty line a writer adds after each message belongs to the archive, not to the message.
 * A "From " line counts as a separator only at the start of the archive or after an empty line: a writer that
 * forgot to quote a body line starting with "From " (mboxo) then does not cut a message in two.
 *
 * Every byte is looked at a bounded number of times: a chunk is scanned for line ends once, and a line is kept
 * only until its end is seen.
 */

const LF = 0x0a;
const CR = 0x0d;
const SEPARATOR = Buffer.from('From ');

/** Whether `data` starts like an mbox archive (its first line is a "From " separator). */
export function looksLikeMbox(data: Uint8Array): boolean {
  if (data.length < SEPARATOR.length) return false;
  for (let i = 0; i < SEPARATOR.length; i++) if (data[i] !== SEPARATOR[i]) return false;
  return true;
}

/** ">From ", ">>From ", ...: a quoted body line (mboxrd); returns the number of ">" in front, else 0. */
function quotedFromDepth(line: Uint8Array): number {
  let i = 0;
  while (i < line.length && line[i] === 0x3e) i++;
  if (i === 0 || line.length - i < SEPARATOR.length) return 0;
  for (let k = 0; k < SEPARATOR.length; k++) if (line[i + k] !== SEPARATOR[k]) return 0;
  return i;
}

function isSeparator(line: Uint8Array): boolean {
  return line.length >= SEPARATOR.length && looksLikeMbox(line);
}

function isEmptyLine(line: Uint8Array): boolean {
  return line.length === 0 || (line.length === 1 && line[0] === CR);
}

export interface MboxMessage {
  /** 1-based position of the message in the archive. */
  index: number;
  /** The "From " separator line, without its line end (the envelope sender and date). */
  envelope: string;
  bytes: Buffer;
}

/**
 * Feed chunks with `push`, then call `end`; each returns the messages completed so far. Messages are gathered as
 * views of the chunks (a chunk must not be reused by the caller) and joined once, when the message is complete, so
 * an archive of many short lines costs no allocation per line. Lines before the first separator (not an mbox, or
 * garbage in front) are dropped and counted in `skippedBytes`.
 */
export class MboxSplitter {
  /** The start of a line that continues into the next chunk. */
  private carry: Buffer[] = [];
  /** The message so far: finished views, and one open view [openStart, openEnd) of `openBuffer`. */
  private segments: Buffer[] = [];
  private openBuffer: Buffer | undefined;
  private openStart = 0;
  private openEnd = 0;
  /** An empty line seen last, [start, end) of its buffer: it ends the message if a separator follows, else body. */
  private pendingEmpty: { buffer: Buffer; start: number; end: number } | undefined;
  private bodyLines = 0;
  private envelope: string | undefined;
  private count = 0;
  skippedBytes = 0;

  push(chunk: Uint8Array): MboxMessage[] {
    const out: MboxMessage[] = [];
    const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = data.indexOf(LF, start); nl !== -1; nl = data.indexOf(LF, start)) {
      if (this.carry.length) {
        const joined = Buffer.concat([...this.carry, data.subarray(start, nl + 1)]);
        this.carry = [];
        this.line(joined, 0, joined.length, out);
      } else {
        this.line(data, start, nl + 1, out);
      }
      start = nl + 1;
    }
    if (start < data.length) this.carry.push(data.subarray(start));
    return out;
  }

  end(): MboxMessage[] {
    const out: MboxMessage[] = [];
    if (this.carry.length) {
      const last = Buffer.concat(this.carry);
      this.carry = [];
      this.line(last, 0, last.length, out);
    }
    // The archive's last empty line is the writer's, as before any other separator.
    this.pendingEmpty = undefined;
    this.finish(out);
    return out;
  }

  /** One line, buffer[start, end), with its line end (the last line of the input may have none). */
  private line(buffer: Buffer, start: number, end: number, out: MboxMessage[]): void {
    const contentEnd = buffer[end - 1] === LF ? end - 1 : end;
    const content = buffer.subarray(start, contentEnd);
    const afterBreak = this.envelope === undefined || this.pendingEmpty !== undefined || this.bodyLines === 0;
    if (afterBreak && isSeparator(content)) {
      this.pendingEmpty = undefined;
      this.finish(out);
      const text = content[content.length - 1] === CR ? content.subarray(0, content.length - 1) : content;
      this.envelope = text.toString('latin1');
      return;
    }
    if (this.envelope === undefined) {
      this.skippedBytes += end - start;
      return;
    }
    this.bodyLines++;
    if (this.pendingEmpty) {
      const empty = this.pendingEmpty;
      this.pendingEmpty = undefined;
      this.append(empty.buffer, empty.start, empty.end);
    }
    if (isEmptyLine(content)) {
      this.pendingEmpty = { buffer, start, end };
      return;
    }
    // A quoted "From " line loses one ">" (mboxrd).
    this.append(buffer, quotedFromDepth(content) ? start + 1 : start, end);
  }

  private append(buffer: Buffer, start: number, end: number): void {
    if (this.openBuffer === buffer && this.openEnd === start) {
      this.openEnd = end;
      return;
    }
    this.closeOpen();
    this.openBuffer = buffer;
    this.openStart = start;
    this.openEnd = end;
  }

  private closeOpen(): void {
    if (this.openBuffer && this.openEnd > this.openStart) this.segments.push(this.openBuffer.subarray(this.openStart, this.openEnd));
    this.openBuffer = undefined;
  }

  private finish(out: MboxMessage[]): void {
    if (this.envelope === undefined) return;
    if (this.pendingEmpty) this.append(this.pendingEmpty.buffer, this.pendingEmpty.start, this.pendingEmpty.end);
    this.pendingEmpty = undefined;
    this.closeOpen();
    out.push({ index: ++this.count, envelope: this.envelope, bytes: Buffer.concat(this.segments) });
    this.segments = [];
    this.bodyLines = 0;
    this.envelope = undefined;
  }
}

/** All messages of an archive held in memory (tests, small files). */
export function splitMbox(data: Uint8Array): MboxMessage[] {
  const splitter = new MboxSplitter();
  return [...splitter.push(data), ...splitter.end()];
}
