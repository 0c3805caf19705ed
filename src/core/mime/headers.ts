/**
 * Header block reader (RFC 5322 §2.2, §3.6). Works on raw bytes with offsets so that every field can be traced
 * back to the exact input; accepts CRLF, bare LF and a mix of both.
 */
import { decodeEncodedWordsDetailed } from './encodedWords';
import type { HeaderField, MimeEntity, ParseWarning } from './entity';
import type { LineCounter } from './lineIndex';
import { MAX_FIELD_ANALYSIS_BYTES, type MimeLimits } from './limits';

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;

export interface HeaderBlock {
  fields: HeaderField[];
  /** Just past the blank line (or where the header block stopped). */
  headerEnd: number;
  bodyStart: number;
  /** A limit cut the block short: the rest of the entity must be treated as an opaque body. */
  truncated: boolean;
  /** The block was ended by a multipart delimiter line starting here (the entity ends before it). */
  delimiterLine?: number;
  warnings: ParseWarning[];
}

export interface HeaderBlockOptions {
  limits: MimeLimits;
  lines: LineCounter;
  /** An mbox "From " envelope line may precede the first field of a top-level message. */
  allowEnvelopeLine: boolean;
  /** True when a multipart delimiter of an enclosing entity starts at this line start. */
  isDelimiterLine: (lineStart: number) => boolean;
}

interface Line {
  start: number;
  /** End of the line's content, before its line ending. */
  contentEnd: number;
  /** Just past the line ending (equals contentEnd on a last line without one). */
  end: number;
}

function readLine(source: Buffer, pos: number, limit: number): Line {
  const nl = source.indexOf(LF, pos);
  const end = nl < 0 || nl >= limit ? limit : nl + 1;
  let contentEnd = end;
  if (contentEnd > pos && source[contentEnd - 1] === LF) contentEnd--;
  if (contentEnd > pos && source[contentEnd - 1] === CR) contentEnd--;
  return { start: pos, contentEnd, end };
}

/** Length of a field name ending in ':' at `pos` (RFC 5322 §3.6.8 ftext, with obsolete WSP before the colon,
 *  §4.5), or 0 when the line is not a header field. */
function fieldNameLength(source: Buffer, pos: number, contentEnd: number): number {
  let i = pos;
  while (i < contentEnd) {
    const b = source[i];
    if (b === COLON || b === SP || b === HT || b < 0x21 || b > 0x7e) break;
    i++;
  }
  const nameEnd = i;
  if (nameEnd === pos) return 0;
  while (i < contentEnd && (source[i] === SP || source[i] === HT)) i++;
  return i < contentEnd && source[i] === COLON ? nameEnd - pos : 0;
}

/** Reads the header block of the entity starting at `start`, never past `limit`. */
export function readHeaderBlock(source: Buffer, start: number, limit: number, options: HeaderBlockOptions): HeaderBlock {
  const { limits } = options;
  const fields: HeaderField[] = [];
  const warnings: ParseWarning[] = [];
  let open: { start: number; nameLength: number; end: number } | undefined;
  const close = (): void => {
    if (open) fields.push(makeField(source, open.start, open.nameLength, open.end, options.lines, warnings, limits.maxFieldBytes));
    open = undefined;
  };
  const stop = (at: number, truncated: boolean): HeaderBlock => {
    close();
    return { fields, headerEnd: at, bodyStart: at, truncated, warnings };
  };

  let pos = start;
  if (options.allowEnvelopeLine && limit - start >= 3 && source[start] === 0xef && source[start + 1] === 0xbb && source[start + 2] === 0xbf) {
    // A UTF-8 byte order mark written by an editor; it is not part of RFC 5322 syntax.
    warnings.push({ code: 'byte-order-mark', message: 'UTF-8 byte order mark before the header fields', offset: start });
    pos += 3;
  }
  while (pos < limit) {
    if (options.isDelimiterLine(pos)) return { ...stop(pos, false), delimiterLine: pos };
    const line = readLine(source, pos, limit);
    if (line.end - start > limits.maxHeaderBytes) {
      warnings.push({ code: 'header-too-large', message: `header block exceeds ${limits.maxHeaderBytes} bytes; rest kept as opaque body`, offset: pos });
      return stop(pos, true);
    }
    if (line.contentEnd === line.start && line.end > line.start) return stop(line.end, false); // the blank line
    const first = source[pos];
    if (first === SP || first === HT) {
      // Folded continuation (RFC 5322 §2.2.3). Before any field there is nothing to continue.
      if (open) open.end = line.end;
      else warnings.push({ code: 'header-orphan-continuation', message: 'continuation line before the first header field', offset: pos });
      pos = line.end;
      continue;
    }
    const nameLength = fieldNameLength(source, pos, line.contentEnd);
    if (nameLength > 0) {
      close();
      if (fields.length >= limits.maxHeaderFields) {
        warnings.push({ code: 'too-many-header-fields', message: `more than ${limits.maxHeaderFields} header fields; rest kept as opaque body`, offset: pos });
        return stop(pos, true);
      }
      open = { start: pos, nameLength, end: line.end };
    } else if (options.allowEnvelopeLine && pos === start && source.toString('latin1', pos, Math.min(pos + 5, line.contentEnd)) === 'From ') {
      warnings.push({ code: 'mbox-envelope-line', message: 'mbox "From " line before the header fields', offset: pos });
    } else if (open && fieldsFollow(source, line.end, limit, start + limits.maxHeaderBytes, options.isDelimiterLine)) {
      // A folded line that lost its leading whitespace, with more fields after it: keep it in the field.
      warnings.push({ code: 'header-broken-fold', message: 'line without a field name inside the header block', offset: pos });
      open.end = line.end;
    } else {
      // Not a field and not a blank line: the body starts here without the separator RFC 5322 §3.5 requires.
      warnings.push({ code: 'missing-header-separator', message: 'header block not ended by a blank line', offset: pos });
      return stop(pos, false);
    }
    pos = line.end;
  }
  return stop(limit, false);
}

/** True when the lines from `pos` are header fields or continuations up to a blank line. Scans at most up to
 *  `budget`; a success means no further broken lines until the blank line, so this runs at most once per block. */
function fieldsFollow(source: Buffer, pos: number, limit: number, budget: number, isDelimiterLine: (at: number) => boolean): boolean {
  let sawField = false;
  const stopAt = Math.min(limit, budget);
  while (pos < stopAt) {
    if (isDelimiterLine(pos)) return false;
    const line = readLine(source, pos, limit);
    if (line.contentEnd === line.start) return sawField && line.end > line.start;
    const first = source[pos];
    if (first !== SP && first !== HT) {
      if (fieldNameLength(source, pos, line.contentEnd) === 0) return false;
      sawField = true;
    }
    pos = line.end;
  }
  return false;
}

function hasEightBit(source: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (source[i] > 0x7f) return true;
  return false;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** Header text with 8-bit bytes read as UTF-8 (RFC 6532) when valid, else latin1; encoded words left as is. */
export function headerText(source: Buffer, start: number, end: number, warnings?: ParseWarning[]): string {
  if (!hasEightBit(source, start, end)) return source.toString('latin1', start, end);
  try {
    return utf8Strict.decode(source.subarray(start, end));
  } catch {
    warnings?.push({ code: 'header-8bit-not-utf8', message: 'header has 8-bit bytes that are not UTF-8; read as latin1', offset: start });
    return source.toString('latin1', start, end);
  }
}

/** Removes folding line breaks (RFC 5322 §2.2.3) and the whitespace around the value. A scan rather than a
 *  regex: a trailing-whitespace pattern retried at every position of a long run of spaces is quadratic. */
export function unfold(text: string): string {
  let joined = '';
  let copied = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    joined += text.slice(copied, i > copied && text.charCodeAt(i - 1) === CR ? i - 1 : i);
    copied = i + 1;
  }
  joined += text.slice(copied);
  let first = 0;
  let last = joined.length;
  while (first < last && (joined.charCodeAt(first) === SP || joined.charCodeAt(first) === HT)) first++;
  while (last > first && (joined.charCodeAt(last - 1) === SP || joined.charCodeAt(last - 1) === HT || joined.charCodeAt(last - 1) === CR)) last--;
  return joined.slice(first, last);
}

/** Decodes RFC 2047 encoded words; a malformed word stays as written. */
export function decodeEncodedWords(text: string, warnings?: ParseWarning[], offset?: number): string {
  if (!text.includes('=?')) return text;
  const decoded = decodeEncodedWordsDetailed(text);
  for (const charset of decoded.unknownCharsets) {
    warnings?.push({ code: 'header-bad-encoded-word', message: `RFC 2047 encoded word in unknown charset "${charset}" left as written`, offset });
  }
  return decoded.text;
}

/** End of the part of a field value that is analysed: at most `maxBytes` bytes, not splitting a UTF-8 sequence. */
function analysedEnd(source: Buffer, valueStart: number, end: number, maxBytes: number): number {
  if (end - valueStart <= maxBytes) return end;
  let cut = valueStart + maxBytes;
  for (let back = 0; back < 3 && cut > valueStart && (source[cut] & 0xc0) === 0x80; back++) cut--;
  return cut;
}

function makeField(source: Buffer, start: number, nameLength: number, end: number, lines: LineCounter, warnings: ParseWarning[], maxBytes: number): HeaderField {
  const name = source.toString('latin1', start, start + nameLength);
  const colon = source.indexOf(COLON, start + nameLength);
  const valueStart = colon + 1;
  const valueEnd = analysedEnd(source, valueStart, end, maxBytes);
  const truncated = valueEnd < end;
  if (truncated) {
    warnings.push({ code: 'header-field-truncated', message: `${name} is ${end - valueStart} bytes long; only its first ${maxBytes} bytes are analysed`, offset: start });
  }
  const rawValue = unfold(source.toString('latin1', valueStart, valueEnd));
  const text = unfold(headerText(source, valueStart, valueEnd, warnings));
  const field: HeaderField = {
    name,
    key: name.toLowerCase(),
    value: decodeEncodedWords(text, warnings, start),
    rawValue,
    start,
    end,
    get line() {
      return lines.lineAt(start);
    },
  };
  if (truncated) field.truncated = true;
  return field;
}

/** The field's value bytes with 8-bit text decoded but encoded words kept (for structured parsing); as long as
 *  the analysed part of the field (see MAX_FIELD_ANALYSIS_BYTES). */
export function fieldText(source: Buffer, field: HeaderField, maxBytes: number = MAX_FIELD_ANALYSIS_BYTES): string {
  const colon = source.indexOf(COLON, field.start + field.name.length);
  return unfold(headerText(source, colon + 1, analysedEnd(source, colon + 1, field.end, maxBytes)));
}

/** All fields with this name, in order (names compare case-insensitively, RFC 5322 §1.2.2). */
export function headersOf(entity: Pick<MimeEntity, 'headers'>, name: string): HeaderField[] {
  const key = name.toLowerCase();
  return entity.headers.filter((field) => field.key === key);
}

/** Decoded value of the first field with this name, or undefined. */
export function headerValue(entity: Pick<MimeEntity, 'headers'>, name: string): string | undefined {
  const key = name.toLowerCase();
  return entity.headers.find((field) => field.key === key)?.value;
}
