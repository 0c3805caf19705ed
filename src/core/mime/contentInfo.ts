/**
 * Interpretation of the MIME header fields of one entity (RFC 2045 §5 Content-Type, §6 Content-Transfer-Encoding,
 * RFC 2183 Content-Disposition, RFC 2231 parameter continuations and charsets).
 */
import { stripComments } from './comments';
import { parseHeaderValue } from './headerParams';
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

const MIME_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/;

function firstField(fields: HeaderField[], key: string, warnings: ParseWarning[]): HeaderField | undefined {
  const found = fields.filter((field) => field.key === key);
  if (found.length > 1) {
    // RFC 2045 gives no rule for repeats; the first one wins, as in most readers.
    warnings.push({ code: 'duplicate-header', message: `${found.length} ${found[0].name} fields; the first is used`, offset: found[1].start });
  }
  return found[0];
}

interface Parsed {
  value: string;
  params: Record<string, string>;
}

/** Splits "value; a=b", joining RFC 2231 continuations and decoding their charsets; parameters that carry
 *  RFC 2047 words (common for name= and filename=) are decoded too. */
function parseStructured(text: string, warnings: ParseWarning[], offset: number): Parsed {
  try {
    return parseHeaderValue(text);
  } catch {
    warnings.push({ code: 'header-unparsable', message: 'structured header could not be parsed', offset });
    return { value: text.split(';')[0].trim(), params: {} };
  }
}

function contentTypeOf(source: Buffer, field: HeaderField | undefined, defaultType: string, warnings: ParseWarning[]): ContentType {
  if (!field) return { mimeType: defaultType, params: {}, defaulted: true };
  const parsed = parseStructured(fieldText(source, field), warnings, field.start);
  const mimeType = parsed.value.toLowerCase().replace(/\s+/g, '');
  if (MIME_TYPE.test(mimeType)) return { mimeType, params: parsed.params, defaulted: false };
  // RFC 2045 §5.2: a syntactically invalid Content-Type means text/plain; charset=us-ascii.
  warnings.push({ code: 'invalid-content-type', message: `invalid Content-Type "${parsed.value}"; treated as ${defaultType}`, offset: field.start });
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

/** Reads the MIME fields of one entity; `defaultType` is text/plain, or message/rfc822 inside multipart/digest
 *  (RFC 2046 §5.1.5). */
export function readContentInfo(source: Buffer, fields: HeaderField[], defaultType: string, warnings: ParseWarning[]): ContentInfo {
  const typeField = firstField(fields, 'content-type', warnings);
  const contentType = contentTypeOf(source, typeField, defaultType, warnings);
  const cteField = firstField(fields, 'content-transfer-encoding', warnings);
  // RFC 2045 §6.1: absent means 7bit; the value is case-insensitive.
  const transferEncoding = cteField ? stripComments(cteField.rawValue).trim().toLowerCase() || '7bit' : '7bit';
  const dispositionField = firstField(fields, 'content-disposition', warnings);
  const disposition = dispositionField ? parseStructured(fieldText(source, dispositionField), warnings, dispositionField.start) : undefined;
  const charset = contentType.params.charset?.trim().toLowerCase() || undefined;
  const filename = disposition?.params.filename || contentType.params.name || undefined;
  const info: ContentInfo = { contentType, transferEncoding };
  if (charset) info.charset = charset;
  if (disposition?.value) info.disposition = disposition.value.toLowerCase();
  if (filename) info.filename = filename;
  if (contentType.mimeType.startsWith('multipart/')) info.boundary = boundaryOf(typeField);
  return info;
}
