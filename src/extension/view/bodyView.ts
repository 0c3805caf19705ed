/**
 * What the message says: the text and HTML parts to show (decoded by their declared charset), the attachments,
 * and the header tables. HTML goes through the sanitizer into its own sandboxed frame; cid: images are inlined
 * from the same multipart/related (RFC 2387) only, so content from another part cannot be pulled into it.
 */
import { attachments as messageAttachments, displayParts, partKind, resolveContentId, decodeBody, decodeText, type MessageTree, type HeaderField, type MimeEntity } from '../../core';
import type { AttachmentView, BodyView, HeaderView, PartView } from '../../shared/protocol';
import { findHiddenText } from './hiddenText';
import { sanitizeHtml } from './htmlSanitizer';
import { hiddenTextView, partProtection } from './partProtection';
import { flattenParts } from './treeView';
import type { Translate } from './translate';

/** Text beyond this many characters is cut in the view ("open as text" shows all of it). */
export const MAX_TEXT_CHARS = 2_000_000;
/** A cid: image larger than this is not inlined (data: URLs are copied into the webview message). */
export const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/gif', 'image/jpeg', 'image/jpg', 'image/webp', 'image/bmp', 'image/svg+xml']);

export interface BodyOptions {
  t: Translate;
  styleNonce: string;
  /** The user allowed remote images for this message (ignored when the message is encrypted). */
  allowRemote: boolean;
  /** The message has an encrypted layer: remote content stays blocked whatever the user says (EFAIL). */
  encrypted: boolean;
}

function imageDataUrl(entity: MimeEntity): string | undefined {
  const type = entity.contentType.mimeType;
  if (!INLINE_IMAGE_TYPES.has(type)) return undefined;
  const { data } = decodeBody(entity, { maxDecodedSize: MAX_INLINE_IMAGE_BYTES + 1 });
  if (data.length > MAX_INLINE_IMAGE_BYTES) return undefined;
  return `data:${type === 'image/jpg' ? 'image/jpeg' : type};base64,${data.toString('base64')}`;
}

function htmlBody(tree: MessageTree, entity: MimeEntity, part: PartView | undefined, options: BodyOptions, usedCids: Set<string>): BodyView {
  const decoded = decodeText(entity);
  const resolveCid = (cid: string): string | undefined => {
    const image = resolveContentId(tree, entity, cid);
    if (!image) return undefined;
    usedCids.add(image.path);
    return imageDataUrl(image);
  };
  const forbidden = options.encrypted || part?.decrypted === true;
  const sanitized = sanitizeHtml(decoded.text, { resolveCid, allowRemote: options.allowRemote && !forbidden, styleNonce: options.styleNonce });
  const notes = decoded.warnings.map((w) => w.message);
  if (sanitized.removed.length) notes.push(options.t('Removed from the HTML: {0}', sanitized.removed.join(', ')));
  // Counted on the document the frame shows, after the rewrite: what the reader sees is what is judged.
  const hiddenText = hiddenTextView(findHiddenText(sanitized.document), options.t);
  return {
    kind: 'html',
    partId: entity.path,
    protection: partProtection(part, options.t),
    ...(hiddenText ? { hiddenText } : {}),
    srcdoc: sanitized.document,
    remoteCount: sanitized.remoteCount,
    remoteAllowed: options.allowRemote && !forbidden,
    ...(forbidden ? { remoteForbidden: options.t('Remote content is never loaded for encrypted messages: it could leak the decrypted text (EFAIL).') } : {}),
    charset: decoded.charset,
    notes,
  };
}

function textBody(entity: MimeEntity, part: PartView | undefined, t: Translate): BodyView {
  const decoded = decodeText(entity);
  const notes = decoded.warnings.map((w) => w.message);
  let text = decoded.text;
  if (text.length > MAX_TEXT_CHARS) {
    text = text.slice(0, MAX_TEXT_CHARS);
    notes.push(t('Only the first {0} characters are shown; use "Open as Text" for all of it.', MAX_TEXT_CHARS));
  }
  return { kind: 'text', partId: entity.path, protection: partProtection(part, t), text, charset: decoded.charset, notes };
}

export function bodiesAndAttachments(tree: MessageTree, root: PartView, options: BodyOptions): { bodies: BodyView[]; attachments: AttachmentView[] } {
  const parts = new Map(flattenParts(root).map((p) => [p.id, p]));
  const usedCids = new Set<string>();
  const bodies = displayParts(tree).map((e) => (partKind(e) === 'html' ? htmlBody(tree, e, parts.get(e.path), options, usedCids) : textBody(e, parts.get(e.path), options.t)));
  const attachments = messageAttachments(tree, usedCids).map(({ entity }): AttachmentView => {
    const part = parts.get(entity.path);
    return {
      partId: entity.path,
      filename: entity.filename ?? '',
      mimeType: entity.contentType.mimeType,
      size: part?.size ?? 0,
      coverage: part?.coverage ?? 'unprotected',
    };
  });
  return { bodies, attachments };
}

export function headerViews(fields: HeaderField[]): HeaderView[] {
  return fields.map((h) => ({ name: h.name, value: h.value, raw: h.rawValue }));
}
