/** Public surface of the MIME model. */
export type { ContentType, HeaderField, MimeEntity, ParsedMessage, ParseWarning, TransferEncoding } from './entity';
export { parseMessage, walk, findEntity, entityBytes, bodyBytes } from './parser';
export { headerValue, headersOf } from './headers';
export { decodeBody, decodeText, type DecodedText } from './decode';
export type { Decoded } from './transferDecoding';
export { smimeKindOf, type SmimeKind } from './smimeDetect';
export { entityRanges, checkRanges, rebuildFromRanges, type ByteRange, type ByteRangeKind } from './ranges';
export { detectLineEndings } from './lineIndex';
export {
  DEFAULT_MIME_LIMITS,
  MAX_DECODED_SIZE,
  MAX_DEPTH,
  MAX_FIELD_ANALYSIS_BYTES,
  MAX_HEADER_BYTES,
  MAX_HEADER_FIELDS,
  MAX_PARTS,
  resolveLimits,
  type MimeLimits,
} from './limits';
export { looksLikeMbox, MboxSplitter, splitMbox, type MboxMessage } from './mbox';
