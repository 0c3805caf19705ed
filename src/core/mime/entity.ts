/**
 * The MIME entity tree (RFC 2045-2049, RFC 5322). Every entity keeps byte offsets into the buffer it was
 * parsed from, so the exact bytes a signature covers are always taken from the original input.
 */

/** A header field as it appears in the input (RFC 5322 §2.2), folded lines included. */
export interface HeaderField {
  /** Field name as written (case preserved). */
  name: string;
  /** Lower-case field name for lookups. */
  key: string;
  /** Unfolded value with RFC 2047 encoded words decoded (charset-converted). */
  value: string;
  /** Unfolded value exactly as written (encoded words not decoded), latin1-mapped. */
  rawValue: string;
  /** Offset of the first byte of the field name. */
  start: number;
  /** Offset just past the field's line ending (including folded continuation lines). */
  end: number;
  /** 1-based line number of the field's first line. */
  line: number;
  /** The value was longer than the analysis limit (MAX_FIELD_ANALYSIS_BYTES): `value` and `rawValue` hold only
   *  its beginning, so nothing may be concluded from what they lack. */
  truncated?: boolean;
}

export interface ContentType {
  /** Lower-case "type/subtype"; "text/plain" when absent (RFC 2045 §5.2). */
  mimeType: string;
  /** Parameters with lower-case names; RFC 2231 continuations and charsets already decoded. */
  params: Record<string, string>;
  /** True when no Content-Type header was present and the default applied. */
  defaulted: boolean;
}

export type TransferEncoding = '7bit' | '8bit' | 'binary' | 'base64' | 'quoted-printable' | string;

export interface ParseWarning {
  code: string;
  message: string;
  /** Byte offset the warning refers to, when it has one. */
  offset?: number;
}

export interface MimeEntity {
  /** Part path: "1" is the root; children are "1.1", "1.2", ...; a message/rfc822 body is "<path>.1". */
  path: string;
  /** The buffer the offsets below refer to. */
  source: Buffer;
  /** Offset of the first header byte (equals bodyStart when there are no headers). */
  start: number;
  /** Offset just past the blank line that ends the header block. */
  headerEnd: number;
  /** Offset of the first body byte. */
  bodyStart: number;
  /** Offset just past the last body byte (for a multipart child: before the CRLF that precedes the delimiter). */
  end: number;
  /** 1-based line number of the entity's first line. */
  line: number;
  headers: HeaderField[];
  contentType: ContentType;
  transferEncoding: TransferEncoding;
  charset?: string;
  disposition?: string;
  /** Filename from Content-Disposition (RFC 2231) or Content-Type name. */
  filename?: string;
  children: MimeEntity[];
  /** For multipart: the boundary and the byte ranges of preamble and epilogue. */
  multipart?: { boundary: string; preamble: [number, number]; epilogue: [number, number]; closed: boolean };
  warnings: ParseWarning[];
  parent?: MimeEntity;
}

export interface ParsedMessage {
  root: MimeEntity;
  source: Buffer;
  /** Line ending style of the input: RFC 5322 requires CRLF, files on disk often use LF. */
  lineEndings: 'crlf' | 'lf' | 'mixed' | 'none';
  /** All warnings of all entities, plus message-level ones. */
  warnings: ParseWarning[];
  /** Total number of entities parsed. */
  entityCount: number;
}
