/**
 * Body decoding: transfer encoding (RFC 2045 §6) to bytes, then charset (RFC 2046 §4.1.2) to text. Every
 * guess is reported as a warning; nothing is silently read in a charset the message did not declare.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { charsetName, decodeCharset } from './charset';
import type { MimeEntity, ParseWarning } from './entity';
import { MAX_DECODED_SIZE, type MimeLimits } from './limits';
import { decodeBase64, decodeQuotedPrintable, type Decoded } from './transferDecoding';

const IDENTITY_ENCODINGS = new Set(['7bit', '8bit', 'binary', '']);

function maxSizeOf(options?: Partial<Pick<MimeLimits, 'maxDecodedSize'>>): number {
  const size = options?.maxDecodedSize;
  return typeof size === 'number' && Number.isFinite(size) && size >= 0 ? size : MAX_DECODED_SIZE;
}

/** The entity's body with its Content-Transfer-Encoding removed. */
export function decodeBody(entity: MimeEntity, options?: Partial<Pick<MimeLimits, 'maxDecodedSize'>>): Decoded {
  const maxSize = maxSizeOf(options);
  const raw = entity.source.subarray(entity.bodyStart, entity.end);
  const encoding = entity.transferEncoding;
  if (encoding === 'base64') return decodeBase64(raw, entity.bodyStart, maxSize);
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(raw, entity.bodyStart, maxSize);
  const warnings: ParseWarning[] = [];
  if (!IDENTITY_ENCODINGS.has(encoding)) {
    warnings.push({ code: 'unknown-transfer-encoding', message: `unknown Content-Transfer-Encoding "${encoding}"; raw bytes returned`, offset: entity.bodyStart });
  }
  if (raw.length <= maxSize) return { data: raw, warnings };
  warnings.push({ code: 'decoded-size-limit', message: `body cut at ${maxSize} bytes`, offset: entity.bodyStart });
  return { data: raw.subarray(0, maxSize), warnings };
}

export interface DecodedText {
  text: string;
  /** The charset the text was actually read in (lower case). */
  charset: string;
  warnings: ParseWarning[];
}

const ASCII_NAMES = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso646-us']);

function hasEightBit(data: Buffer): boolean {
  return !isAscii(data);
}


/** Resolves a declared charset to the name of a decoder that exists (WHATWG labels and common mail aliases). */
function knownCharset(declared: string): string | undefined {
  return charsetName(declared);
}

/** For undeclared, unknown or mislabelled 8-bit text: UTF-8 when the bytes are valid UTF-8, else ISO-8859-1
 *  (which maps every byte), always with a warning saying which was chosen. */
function guessed(data: Buffer, code: string, why: string, offset: number): DecodedText {
  if (isUtf8(data)) return { text: data.toString('utf8'), charset: 'utf-8', warnings: [{ code, message: `${why}; read as UTF-8`, offset }] };
  return { text: data.toString('latin1'), charset: 'iso-8859-1', warnings: [{ code, message: `${why}; not UTF-8, read as ISO-8859-1`, offset }] };
}

function textOf(data: Buffer, declared: string | undefined, offset: number): DecodedText {
  if (!declared || ASCII_NAMES.has(declared)) {
    // RFC 2045 §5.2: no charset means us-ascii.
    if (!hasEightBit(data)) return { text: data.toString('latin1'), charset: 'us-ascii', warnings: [] };
    return guessed(data, declared ? 'charset-mismatch' : 'charset-missing', declared ? `8-bit bytes in ${declared} text` : '8-bit text without a charset', offset);
  }
  const charset = knownCharset(declared);
  if (!charset) return guessed(data, 'unknown-charset', `unknown charset "${declared}"`, offset);
  const warnings: ParseWarning[] = [];
  if (/^utf-?8$/.test(charset) && !isUtf8(data)) {
    warnings.push({ code: 'invalid-utf8', message: 'text declared UTF-8 has invalid sequences (shown as U+FFFD)', offset });
  }
  return { text: decodeCharset(data, charset) ?? data.toString('latin1'), charset: charset.toLowerCase(), warnings };
}

/** The entity's body as text in its declared charset. */
export function decodeText(entity: MimeEntity, options?: Partial<Pick<MimeLimits, 'maxDecodedSize'>>): DecodedText {
  const body = decodeBody(entity, options);
  const result = textOf(body.data, entity.charset, entity.bodyStart);
  return { text: result.text, charset: result.charset, warnings: [...body.warnings, ...result.warnings] };
}
