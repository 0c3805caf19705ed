/**
 * Interpretation of the MIME header fields of one entity (RFC 2045 §5 Content-Type, §6 Content-Transfer-Encoding,
 * RFC 2183 Content-Disposition, RFC 2231 parameter continuations and charsets).
 */
import { parseHeaderValue, withoutComments } from './headerParams';
import type { ContentType, HeaderField, ParseWarning } from './entity';
import { fieldText } from './headers';

export interface ContentInfo {
  contentType: ContentType;
  transferEncoding: string;
  charset?: string;
  disposition?: string;
  filename?: string;
  /** The multipart boundary as the bytes that appear in delimiter lines. */
  boundary?: Buffer;
}

const COLON = 0x3a;

/** The first field named `key`. Repeats are a parser differential: RFC 2045 gives no rule, and readers differ on
 *  whether the first or the last one counts, so the warning is one of the ambiguity codes (ambiguity.ts). */
function firstField(source: Buffer, fields: HeaderField[], key: string, warnings: ParseWarning[]): HeaderField | undefined {
  const found = fields.filter((field) => field.key === key);
  if (found.length > 1) {
    warnings.push({ code: 'duplicate-header', message: `${found.length} ${found[0].name} fields; readers differ on which one counts`, offset: found[1].start });
  }
  for (const field of found) {
    // RFC 5322 §4.5.3 obsolete syntax: white space before the colon. Readers that do not know it take
    // "Content-Type " for another field and the entity for text/plain.
    if (source[field.start + field.name.length] !== COLON) {
      warnings.push({ code: 'ambiguous-field-name', message: `white space between ${field.name} and its colon; readers that do not accept RFC 5322 §4.5.3 ignore the field`, offset: field.start });
    }
  }
  return found[0];
}

interface Parsed {
  value: string;
  params: Record<string, string>;
}

/** Splits "value; a=b", joining RFC 2231 continuations and decoding their charsets; file names that carry
 *  RFC 2047 words are decoded too. What other readers may take differently becomes an ambiguity warning. */
function parseStructured(text: string, field: HeaderField, warnings: ParseWarning[]): Parsed {
  try {
    const parsed = parseHeaderValue(text);
    for (const why of parsed.ambiguities) {
      warnings.push({ code: 'ambiguous-parameter', message: `${field.name}: ${why}`, offset: field.start });
    }
    return parsed;
  } catch {
    warnings.push({ code: 'header-unparsable', message: 'structured header could not be parsed', offset: field.start });
    return { value: text.split(';')[0].trim(), params: {} };
  }
}

/** Header text quoted in a warning, cut so a crafted megabyte-long field does not end up in every report. */
const SHOWN_CHARS = 80;
function shown(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** type "/" subtype, white space allowed around the slash (RFC 2045 §5.1 with RFC 822 lexical rules). */
const TYPE_AND_SUBTYPE = /^([!#$%&'*+.^_`|~0-9a-z-]+)[ \t]*\/[ \t]*([!#$%&'*+.^_`|~0-9a-z-]+)/;

function contentTypeOf(source: Buffer, field: HeaderField | undefined, defaultType: string, warnings: ParseWarning[]): ContentType {
  if (!field) return { mimeType: defaultType, params: {}, defaulted: true };
  const parsed = parseStructured(fieldText(source, field), field, warnings);
  const written = withoutComments(parsed.value).trim().toLowerCase();
  const m = TYPE_AND_SUBTYPE.exec(written);
  if (m && m[0].length === written.length) return { mimeType: `${m[1]}/${m[2]}`, params: parsed.params, defaulted: false };
  // RFC 2045 §5.2: a syntactically invalid Content-Type means text/plain; charset=us-ascii.
  warnings.push({ code: 'invalid-content-type', message: `invalid Content-Type "${shown(parsed.value)}"; treated as ${defaultType}`, offset: field.start });
  if (m) {
    // "multipart/signed garbage": a lenient reader keeps the type it can see, RFC 2045 says text/plain.
    warnings.push({ code: 'ambiguous-content-type', message: `Content-Type "${shown(parsed.value)}" reads as ${m[1]}/${m[2]} to lenient readers and as ${defaultType} by RFC 2045 §5.2`, offset: field.start });
  }
  return { mimeType: defaultType, params: parsed.params, defaulted: true };
}

/** The boundary exactly as bytes: parsed from the latin1 view so 8-bit bytes map back one to one. */
function boundaryOf(field: HeaderField | undefined): Buffer | undefined {
  if (!field) return undefined;
  try {
    const boundary = parseHeaderValue(field.rawValue, { decodeWords: false }).params.boundary;
    return boundary ? Buffer.from(boundary, 'latin1') : undefined;
  } catch {
    return undefined;
  }
}

const TRANSFER_ENCODINGS = new Set(['7bit', '8bit', 'binary', 'base64', 'quoted-printable']);

/** RFC 2045 §6.1: absent means 7bit; the value is one case-insensitive token. Anything else (two words, an
 *  x-token such as x-uuencode that some readers decode and others show raw) reads differently elsewhere. */
function transferEncodingOf(field: HeaderField | undefined, warnings: ParseWarning[]): string {
  if (!field) return '7bit';
  const value = withoutComments(field.rawValue).trim().toLowerCase() || '7bit';
  if (!TRANSFER_ENCODINGS.has(value)) {
    warnings.push({ code: 'ambiguous-transfer-encoding', message: `Content-Transfer-Encoding "${shown(value)}" is not one of RFC 2045 §6.1; readers decode it differently`, offset: field.start });
  }
  return value;
}

/** Reads the MIME fields of one entity; `defaultType` is text/plain, or message/rfc822 inside multipart/digest
 *  (RFC 2046 §5.1.5). */
export function readContentInfo(source: Buffer, fields: HeaderField[], defaultType: string, warnings: ParseWarning[]): ContentInfo {
  const typeField = firstField(source, fields, 'content-type', warnings);
  const contentType = contentTypeOf(source, typeField, defaultType, warnings);
  const cteField = firstField(source, fields, 'content-transfer-encoding', warnings);
  const transferEncoding = transferEncodingOf(cteField, warnings);
  const dispositionField = firstField(source, fields, 'content-disposition', warnings);
  const disposition = dispositionField ? parseStructured(fieldText(source, dispositionField), dispositionField, warnings) : undefined;
  const charset = contentType.params.charset?.trim().toLowerCase() || undefined;
  const filename = disposition?.params.filename || contentType.params.name || undefined;
  const info: ContentInfo = { contentType, transferEncoding };
  if (charset) info.charset = charset;
  if (disposition?.value) info.disposition = disposition.value.toLowerCase();
  if (filename) info.filename = filename;
  if (contentType.mimeType.startsWith('multipart/')) info.boundary = boundaryOf(typeField);
  return info;
}
