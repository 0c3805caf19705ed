/**
 * Content-Transfer-Encoding decoders (RFC 2045 §6.7 quoted-printable, §6.8 base64). Both run in one pass over
 * the bytes and write into a preallocated buffer; both are tolerant (mail in the wild is often slightly broken)
 * but report every deviation as a warning.
 */
import type { ParseWarning } from './entity';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const EQUALS = 0x3d;

export interface Decoded {
  data: Buffer;
  warnings: ParseWarning[];
}

/** Base64 alphabet value of each byte; -1 for everything else (RFC 4648 §4). */
const BASE64_VALUE = new Int8Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (BASE64_VALUE[c.charCodeAt(0)] = i));

function isWhitespace(b: number): boolean {
  return b === SP || b === HT || b === CR || b === LF;
}

/**
 * Base64. RFC 2045 §6.8: characters outside the alphabet must be ignored (a warning here, since they hint at
 * corruption); "=" ends a quantum. Data after padding is decoded as a new run, which is what concatenated
 * base64 blobs need.
 */
export function decodeBase64(input: Buffer, offset: number, maxSize: number): Decoded {
  // Well-formed input (the normal case) goes through Node's native decoder; anything else through the tolerant
  // decoder, which reports what was wrong.
  const clean = decodeFixedLineBase64(input) ?? decodeCleanBase64(input);
  if (clean) {
    const warnings: ParseWarning[] = [];
    return { data: capped(clean, maxSize, warnings, offset), warnings };
  }
  return decodeBase64Tolerant(input, offset, maxSize);
}

/**
 * Clean base64 is decoded in slices of about this many input bytes, so no string as large as the body exists.
 * Small enough that each slice is an ordinary young-generation string (large strings become external memory that
 * lingers until a full collection and would count against the process's peak memory).
 */
const BASE64_SLICE = 64 * 1024;
const NOT_BASE64 = /[^A-Za-z0-9+/=\r\n\t ]/;
const WHITESPACE = /[\r\n\t ]+/g;

/**
 * The common layout (every line the same length, a multiple of 4, with the same line ending; what every MIME
 * encoder writes) is decoded without looking at each character: Node's decoder skips the line breaks itself, and
 * it also skips characters outside the alphabet, so the input is clean exactly when the number of bytes it
 * produced matches the count of symbols the layout implies. Anything else returns undefined.
 */
function decodeFixedLineBase64(input: Buffer): Buffer | undefined {
  // The data ends at its last symbol; trailing line breaks and blank lines are not part of the layout.
  let end = input.length;
  while (end > 0 && isWhitespace(input[end - 1])) end--;
  if (end === 0) return undefined;
  const firstBreak = input.indexOf(LF);
  let width = end;
  let stride = end;
  let eol = 0;
  if (firstBreak >= 0 && firstBreak < end) {
    eol = firstBreak > 0 && input[firstBreak - 1] === CR ? 2 : 1;
    width = firstBreak + 1 - eol;
    stride = width + eol;
  }
  if (width === 0 || width % 4 !== 0) return undefined;
  // Full lines, each ending exactly where the layout says, then one last line of whole quanta without a break.
  const fullLines = Math.floor(end / stride);
  const lastLineStart = fullLines * stride;
  const tail = end - lastLineStart;
  if (tail === 0 || tail > width || tail % 4 !== 0) return undefined;
  for (let lineEnd = stride - 1; lineEnd < lastLineStart; lineEnd += stride) {
    if (input[lineEnd] !== LF || (eol === 2 && input[lineEnd - 1] !== CR)) return undefined;
  }
  if (input.subarray(lastLineStart, end).includes(LF)) return undefined;
  const padding = input[end - 1] === EQUALS ? (input[end - 2] === EQUALS ? 2 : 1) : 0;
  const expected = ((fullLines * width + tail) / 4) * 3 - padding;
  const out = Buffer.allocUnsafe(expected + 3);
  let length = 0;
  // Whole lines per slice, so each slice holds whole quanta; slices keep every string small (see BASE64_SLICE).
  const sliceBytes = Math.max(1, Math.floor(BASE64_SLICE / stride)) * stride;
  for (let start = 0; start < end; start += sliceBytes) {
    length += out.write(input.toString('latin1', start, Math.min(end, start + sliceBytes)), length, 'base64');
  }
  if (length !== expected) return undefined;
  // "=" belongs only at the end of the last line; a stray one elsewhere can still add up (padding that ends a
  // line in the middle, RFC 2045 §6.8), so look for it outside the last line.
  const firstPad = input.indexOf(EQUALS);
  if (firstPad >= 0 && firstPad < lastLineStart) return undefined;
  return out.subarray(0, length);
}

/**
 * Decodes clean base64 (only alphabet and whitespace, "=" padding only at the very end, whole quanta) slice by
 * slice into one buffer allocated up front; returns undefined for anything else. Slices end at line breaks, and
 * the symbols beyond a multiple of 4 carry over to the next slice, so each slice decodes on its own. All scanning
 * is done by native string and buffer operations.
 */
function decodeCleanBase64(input: Buffer): Buffer | undefined {
  const out = Buffer.allocUnsafe(Math.ceil(input.length / 4) * 3);
  let length = 0;
  let carry = '';
  for (let pos = 0; pos < input.length; ) {
    let end = pos + BASE64_SLICE >= input.length ? input.length : input.indexOf(LF, pos + BASE64_SLICE);
    end = end < 0 ? input.length : Math.min(end + 1, input.length);
    const text = input.toString('latin1', pos, end);
    if (NOT_BASE64.test(text)) return undefined;
    let symbols = carry + text.replace(WHITESPACE, '');
    const last = end === input.length;
    const pad = symbols.indexOf('=');
    if (pad >= 0 && (!last || !/^={1,2}$/.test(symbols.slice(pad)))) return undefined;
    if (last) {
      if (symbols.length % 4 !== 0) return undefined;
      carry = '';
    } else {
      const keep = symbols.length % 4;
      carry = keep ? symbols.slice(symbols.length - keep) : '';
      symbols = keep ? symbols.slice(0, symbols.length - keep) : symbols;
    }
    length += out.write(symbols, length, 'base64');
    pos = end;
  }
  return out.subarray(0, length);
}

function decodeBase64Tolerant(input: Buffer, offset: number, maxSize: number): Decoded {
  const warnings: ParseWarning[] = [];
  const out = Buffer.allocUnsafe(Math.min(Math.ceil(input.length / 4) * 3, maxSize + 3));
  let length = 0;
  let quantum = 0;
  let bits = 0;
  let invalid = 0;
  let firstInvalid = -1;
  let padded = false;
  let afterPadding = false;
  for (let i = 0; i < input.length; i++) {
    const b = input[i];
    const value = BASE64_VALUE[b];
    if (value < 0) {
      if (b === EQUALS) {
        if (bits === 1) warnings.push({ code: 'base64-bad-padding', message: 'padding after a single base64 character', offset: offset + i });
        quantum = 0;
        bits = 0;
        padded = true;
      } else if (!isWhitespace(b)) {
        if (firstInvalid < 0) firstInvalid = i;
        invalid++;
      }
      continue;
    }
    if (padded) {
      afterPadding = true;
      padded = false;
    }
    quantum = (quantum << 6) | value;
    bits++;
    if (bits === 2) out[length++] = (quantum >> 4) & 0xff;
    else if (bits === 3) out[length++] = (quantum >> 2) & 0xff;
    else if (bits === 4) {
      out[length++] = quantum & 0xff;
      quantum = 0;
      bits = 0;
    }
    if (length > maxSize) break;
  }
  if (invalid > 0) warnings.push({ code: 'base64-invalid-characters', message: `${invalid} characters outside the base64 alphabet ignored`, offset: offset + firstInvalid });
  if (afterPadding) warnings.push({ code: 'base64-data-after-padding', message: 'base64 data continues after "=" padding', offset });
  const stoppedEarly = length > maxSize;
  if (stoppedEarly) bits = 0; // the end of the input was not reached: its padding says nothing
  if (bits === 1) warnings.push({ code: 'base64-truncated', message: 'base64 ends with a lone character (6 bits dropped)', offset: offset + input.length });
  else if (bits > 1 && !padded) warnings.push({ code: 'base64-missing-padding', message: 'base64 ends without "=" padding', offset: offset + input.length });
  return { data: capped(out.subarray(0, length), maxSize, warnings, offset), warnings };
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57; // lower case is not canonical (§6.7 rule 1) but common
  return -1;
}

/** Index of the line break that follows only SP/HT from `i`, or -1. */
function breakAfterWhitespace(input: Buffer, i: number): number {
  let j = i;
  while (j < input.length && (input[j] === SP || input[j] === HT)) j++;
  if (j >= input.length) return j;
  if (input[j] === LF || (input[j] === CR && input[j + 1] === LF)) return j;
  return -1;
}

/**
 * Quoted-printable. "=XX" is an octet, "=" + optional whitespace + line break is a soft break (CRLF or bare LF),
 * trailing whitespace on a line is transport padding and is dropped (§6.7 rule 3). Line breaks are kept as
 * they appear. A stray "=" is kept literally, with a warning.
 */
export function decodeQuotedPrintable(input: Buffer, offset: number, maxSize: number): Decoded {
  const warnings: ParseWarning[] = [];
  const out = Buffer.allocUnsafe(Math.min(input.length, maxSize + 1));
  let length = 0;
  let stray = 0;
  let firstStray = -1;
  for (let i = 0; i < input.length && length <= maxSize; i++) {
    const b = input[i];
    if (b === EQUALS) {
      const hi = hexValue(input[i + 1]);
      const lo = hexValue(input[i + 2]);
      if (i + 2 < input.length && hi >= 0 && lo >= 0) {
        out[length++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
      const lineBreak = breakAfterWhitespace(input, i + 1);
      if (lineBreak >= 0) {
        i = lineBreak < input.length && input[lineBreak] === CR ? lineBreak + 1 : lineBreak; // soft break
        continue;
      }
      if (firstStray < 0) firstStray = i;
      stray++;
      out[length++] = b;
      continue;
    }
    if (b === SP || b === HT) {
      let j = i;
      while (j < input.length && (input[j] === SP || input[j] === HT)) j++;
      const atLineEnd = j >= input.length || input[j] === LF || (input[j] === CR && input[j + 1] === LF);
      // Trailing whitespace is padding added in transport; inner whitespace is copied as one run.
      if (!atLineEnd) length += input.copy(out, length, i, Math.min(j, i + out.length - length));
      i = j - 1;
      continue;
    }
    out[length++] = b;
  }
  if (stray > 0) warnings.push({ code: 'qp-invalid-escape', message: `${stray} "=" not followed by two hex digits or a line break; kept literally`, offset: offset + firstStray });
  return { data: capped(out.subarray(0, length), maxSize, warnings, offset), warnings };
}

function capped(data: Buffer, maxSize: number, warnings: ParseWarning[], offset: number): Buffer {
  if (data.length <= maxSize) return data;
  warnings.push({ code: 'decoded-size-limit', message: `decoded data cut at ${maxSize} bytes`, offset });
  return data.subarray(0, maxSize);
}
