/**
 * How one part opens as text, the same from the message view and the raw view: text parts decoded by their
 * declared charset in a language that fits their type, an attached message as its own bytes (so the raw view can
 * analyse it), anything else as the part's MIME source. Plain TypeScript without `vscode`, so it is unit-tested.
 */
import { safeFileName, decodeBody, decodeText, type MimeEntity } from '../core';

export const EML_LANGUAGE_ID = 'eml';

/** Languages for decoded text parts; any other text/* type opens as plain text. */
const LANGUAGE_BY_TYPE: Record<string, string> = {
  'text/plain': 'plaintext',
  'text/html': 'html',
  'text/xml': 'xml',
  'application/xml': 'xml',
  'application/json': 'json',
  'text/markdown': 'markdown',
  'text/css': 'css',
};

const MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);

export type PartContent =
  /** Text decoded from the part's body. */
  | { kind: 'text'; text: string; language: string }
  /** A message carried in the part: its decoded bytes, to open as a message of its own. */
  | { kind: 'message'; bytes: Buffer }
  /** Not text: the part's MIME source as it sits in the message (still transfer-encoded). */
  | { kind: 'binary'; source: string };

export function partContent(entity: MimeEntity): PartContent {
  const type = entity.contentType.mimeType;
  if (MESSAGE_TYPES.has(type)) return { kind: 'message', bytes: decodeBody(entity).data };
  if (type.startsWith('text/') || type in LANGUAGE_BY_TYPE) {
    return { kind: 'text', text: decodeText(entity).text, language: LANGUAGE_BY_TYPE[type] ?? 'plaintext' };
  }
  return { kind: 'binary', source: entity.source.subarray(entity.start, entity.end).toString('latin1') };
}

/** The name of a document opened from a message (the tab says where it comes from): "mail.eml part 1.2". */
export function contentName(messageUriPath: string, what: string): string {
  return `${messageUriPath.slice(messageUriPath.lastIndexOf('/') + 1)} ${what}`;
}

/** The name a save dialog suggests for a part, in both views: the message's name for it cleaned by core's
 *  safeFileName, or one made from the part path. */
export function attachmentFileName(entity: MimeEntity): string {
  return safeFileName(entity.filename, `part-${entity.path}.bin`);
}
