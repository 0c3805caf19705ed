/**
 * Transfer encodings for the write path (RFC 2045 §6): a one-pass scan that says whether a body is 7-bit
 * safe, and the two encoders that make it so (base64 §6.8, quoted-printable §6.7).
 */

import { isAscii } from 'node:buffer';

const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');

/** RFC 2045 §6.7 rule 5 and §6.8: encoded lines are at most 76 characters. */
export const ENCODED_LINE_LENGTH = 76;
/** RFC 5322 §2.1.1: a line MUST NOT be longer than 998 characters (relays cut or wrap longer ones). */
export const HARD_LINE_LIMIT = 998;

export interface BodyScan {
  /** Any byte above 0x7f. */
  eightBit: boolean;
  /** A NUL byte (RFC 2045 §2.7 forbids it outside binary data). */
  nul: boolean;
  /** A CR not followed by LF. */
  bareCr: boolean;
  /** An LF not preceded by CR. */
  bareLf: boolean;
  /** Longest line in octets, line endings excluded. */
  maxLine: number;
  /** A line starting "From " (mbox storage turns it into ">From ", RFC 4155 §2). */
  fromLine: boolean;
  /** A line ending in a space or tab (some relays strip it). */
  trailingSpace: boolean;
}

/**
 * Scans `data` once; linear, no allocation. The byte classes are checked natively (isAscii, indexOf); JS only
 * steps from one line ending to the next, which keeps a 10 MB body to a few milliseconds. With `crlfOnly` the
 * caller vouches that every LF is preceded by CR (the body was canonicalised), so only CRs are searched.
 */
export function scanBody(data: Buffer, crlfOnly = false): BodyScan {
  const scan: BodyScan = { eightBit: !isAscii(data), nul: data.indexOf(0) !== -1, bareCr: false, bareLf: false, maxLine: 0, fromLine: false, trailingSpace: false };
  return crlfOnly ? scanCrlfLines(data, scan) : scanAnyLines(data, scan);
}

/** Steps from CR to CR: each must be followed by LF. */
function scanCrlfLines(data: Buffer, scan: BodyScan): BodyScan {
  let lineStart = 0;
  for (let cr = data.indexOf(CR); cr !== -1; cr = data.indexOf(CR, cr + 1)) {
    if (data[cr + 1] !== LF) {
      scan.bareCr = true;
      continue;
    }
    endLine(scan, data, lineStart, cr);
    lineStart = cr + 2;
  }
  endLine(scan, data, lineStart, data.length);
  return scan;
}

/**
 * Steps from LF to LF; a line ends in CRLF when the byte before its LF is CR, and that CR must be the first
 * CR after the previous line (any CR before it is a bare CR). The next CR is looked up once per CRLF.
 */
function scanAnyLines(data: Buffer, scan: BodyScan): BodyScan {
  let lineStart = 0;
  let cr = data.indexOf(CR);
  for (let lf = data.indexOf(LF); lf !== -1; lf = data.indexOf(LF, lineStart)) {
    let end = lf;
    if (lf > 0 && data[lf - 1] === CR) {
      end = lf - 1;
      if (cr !== end) scan.bareCr = true;
    } else {
      scan.bareLf = true;
      if (cr !== -1 && cr < lf) scan.bareCr = true;
    }
    if (cr !== -1 && cr < lf) cr = data.indexOf(CR, lf + 1);
    endLine(scan, data, lineStart, end);
    lineStart = lf + 1;
  }
  // A CR after the last LF ends no line.
  if (cr !== -1) scan.bareCr = true;
  endLine(scan, data, lineStart, data.length);
  return scan;
}

function endLine(scan: BodyScan, data: Buffer, start: number, end: number): void {
  const length = end - start;
  if (length > scan.maxLine) scan.maxLine = length;
  if (length === 0) return;
  const last = data[end - 1];
  if (last === 0x20 || last === 0x09) scan.trailingSpace = true;
  // "From " (RFC 4155 §2), compared byte by byte: this runs once per line.
  if (length >= 5 && data[start] === 0x46 && data[start + 1] === 0x72 && data[start + 2] === 0x6f && data[start + 3] === 0x6d && data[start + 4] === 0x20) scan.fromLine = true;
}

/** True when the body can travel as 7bit: no 8-bit bytes, no NUL, CRLF line endings only, lines within `limit`. */
export function isSevenBitSafe(scan: BodyScan, limit: number): boolean {
  return !scan.eightBit && !scan.nul && !scan.bareCr && !scan.bareLf && scan.maxLine <= limit;
}

/** Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8). */
export { encodeBase64Lines } from './base64Lines';

const HEX = Buffer.from('0123456789ABCDEF');
const EQUALS = 0x3d;

/** Literal bytes of RFC 2045 §6.7 rule 2, minus "=" (rule 1) and minus space/tab (handled at line ends). */
function isLiteral(byte: number): boolean {
  return byte >= 33 && byte <= 126 && byte !== EQUALS;
}

/** Writes quoted-printable into a buffer sized for the worst case, tracking the output line length. */
class QpWriter {
  private readonly out: Buffer;
  private pos = 0;
  private column = 0;

  constructor(inputLength: number, lines: number) {
    // Every byte may become "=XX", plus a soft break ("=" CRLF) per 25 escaped bytes, plus the hard breaks.
    this.out = Buffer.alloc(inputLength * 3 + Math.ceil(inputLength / 24) * 3 + lines * 2 + 16);
  }

  /** Adds a token of 1 or 3 octets, first breaking softly if it would not fit (rule 5: at most 76 with the "="). */
  private room(width: number): void {
    if (this.column + width > ENCODED_LINE_LENGTH - 1) {
      this.out[this.pos++] = EQUALS;
      this.out[this.pos++] = CR;
      this.out[this.pos++] = LF;
      this.column = 0;
    }
  }

  literal(byte: number): void {
    this.room(1);
    this.out[this.pos++] = byte;
    this.column += 1;
  }

  escaped(byte: number): void {
    this.room(3);
    this.out[this.pos++] = EQUALS;
    this.out[this.pos++] = HEX[byte >> 4];
    this.out[this.pos++] = HEX[byte & 15];
    this.column += 3;
  }

  hardBreak(): void {
    this.out[this.pos++] = CR;
    this.out[this.pos++] = LF;
    this.column = 0;
  }

  result(): Buffer {
    return this.out.subarray(0, this.pos);
  }
}

function startsWithFrom(data: Buffer, start: number, end: number): boolean {
  return end - start >= 5 && data[start] === 0x46 && data.toString('latin1', start, start + 5) === 'From ';
}

/**
 * One text line (no line ending) with soft breaks. Beyond the RFC, a leading "From " and a lone "." are
 * escaped: mbox storage and careless SMTP code change them (RFC 2049 §3 items 7-8).
 */
function encodeLine(data: Buffer, start: number, end: number, w: QpWriter): void {
  const escapeFirst = startsWithFrom(data, start, end) || (end - start === 1 && data[start] === 0x2e);
  for (let i = start; i < end; i++) {
    const b = data[i];
    const whitespace = b === 0x20 || b === 0x09;
    if ((isLiteral(b) || (whitespace && i !== end - 1)) && !(i === start && escapeFirst)) w.literal(b);
    else w.escaped(b);
  }
}

/**
 * Quoted-printable for text whose line breaks are CRLF (canonical form, RFC 2045 §6.7 rule 4): each CRLF stays
 * a hard line break, every other CR or LF byte is escaped. The result ends with CRLF when the input does.
 */
export function encodeQuotedPrintable(data: Buffer): Buffer {
  let lines = 0;
  for (let i = data.indexOf(LF); i !== -1; i = data.indexOf(LF, i + 1)) lines++;
  const w = new QpWriter(data.length, lines);
  let start = 0;
  for (let i = data.indexOf(CRLF); i !== -1; i = data.indexOf(CRLF, start)) {
    encodeLine(data, start, i, w);
    w.hardBreak();
    start = i + 2;
  }
  if (start < data.length) encodeLine(data, start, data.length, w);
  return w.result();
}
