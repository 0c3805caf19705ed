/**
 * What the message says: the text and HTML parts to show (decoded by their declared charset), the attachments,
 * and the header tables. HTML goes through the sanitizer into its own sandboxed frame; cid: images are inlined
 * from the same multipart/related (RFC 2387) only, so content from another part cannot be pulled into it.
 */
import { decodeBody, decodeText } from '../../core/mime/decode';
import type { HeaderField, MimeEntity } from '../../core/mime/entity';
import type { AttachmentView, BodyView, HeaderView, PartView } from '../../shared/protocol';
import { findHiddenText } from './hiddenText';
import { sanitizeHtml } from './htmlSanitizer';
import { hiddenTextView, partProtection } from './partProtection';
import { childrenOf, walkTree, type MessageTree } from './messageTree';
import { flattenParts, partKind } from './treeView';
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

/** The parts a reader would see, in order: for multipart/alternative the last one we can show (RFC 2046 §5.1.4). */
export function displayParts(tree: MessageTree, entity: MimeEntity): MimeEntity[] {
  const kind = partKind(entity);
  if (kind === 'text' || kind === 'html') return [entity];
  const type = entity.contentType.mimeType;
  const children = childrenOf(tree, entity);
  if (type === 'multipart/alternative') {
    for (let i = children.length - 1; i >= 0; i--) {
      const shown = displayParts(tree, children[i]);
      if (shown.length) return shown;
    }
    return [];
  }
  // multipart/signed: only the content; the second part is the signature.
  if (type === 'multipart/signed') return children[0] ? displayParts(tree, children[0]) : [];
  if (kind === 'multipart' || kind === 'message' || kind === 'smime') return children.flatMap((c) => displayParts(tree, c));
  return [];
}

function contentId(entity: MimeEntity): string | undefined {
  const h = entity.headers.find((f) => f.key === 'content-id');
  return h ? h.value.trim().replace(/^<|>$/g, '') : undefined;
}

/** The nearest multipart/related around a part: its images are the only ones cid: may name. */
function relatedRoot(entity: MimeEntity): MimeEntity | undefined {
  for (let p = entity.parent; p; p = p.parent) if (p.contentType.mimeType === 'multipart/related') return p;
  return undefined;
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
  const related = relatedRoot(entity);
  const resolveCid = (cid: string): string | undefined => {
    if (!related) return undefined;
    for (const candidate of walkTree(tree, related)) {
      if (candidate !== entity && contentId(candidate)?.toLowerCase() === cid.toLowerCase()) {
        usedCids.add(candidate.path);
        return imageDataUrl(candidate);
      }
    }
    return undefined;
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
  const shown = displayParts(tree, tree.message.root);
  const bodies = shown.map((e) => (partKind(e) === 'html' ? htmlBody(tree, e, parts.get(e.path), options, usedCids) : textBody(e, parts.get(e.path), options.t)));
  const shownPaths = new Set(shown.map((e) => e.path));
  const attachments: AttachmentView[] = [];
  for (const entity of walkTree(tree)) {
    const kind = partKind(entity);
    if (shownPaths.has(entity.path) || usedCids.has(entity.path) || childrenOf(tree, entity).length) continue;
    if (kind !== 'attachment' && kind !== 'image' && !(entity.disposition === 'attachment' && kind !== 'smime')) continue;
    const part = parts.get(entity.path);
    attachments.push({
      partId: entity.path,
      filename: entity.filename ?? '',
      mimeType: entity.contentType.mimeType,
      size: part?.size ?? 0,
      coverage: part?.coverage ?? 'unprotected',
    });
  }
  return { bodies, attachments };
}

export function headerViews(fields: HeaderField[]): HeaderView[] {
  return fields.map((h) => ({ name: h.name, value: h.value, raw: h.rawValue }));
}

/** The content the outer layers wrap (through opened pkcs7-mime and the first part of multipart/signed). */
export function innermostContent(tree: MessageTree): MimeEntity {
  let entity = tree.message.root;
  for (let guard = 0; guard < 32; guard++) {
    const opened = tree.inner.get(entity.path);
    if (opened) entity = opened.root;
    else if (entity.contentType.mimeType === 'multipart/signed' && entity.children[0]) entity = entity.children[0];
    else break;
  }
  return entity;
}
