/**
 * What a reader of the message sees, decided once for every front end: which parts are shown as the message
 * (RFC 2046 §5.1.4: of multipart/alternative, the last part that can be shown), which images a cid: reference may
 * name (only from the same multipart/related, RFC 2387, so content from elsewhere cannot be pulled in), what is an
 * attachment, and what protects each part.
 */
import type { MimeEntity } from '../mime/entity';
import type { SecurityReport, SignedLayerReport, SignerStatus } from '../smime/report';
import { isEncrypted, signsOnlyCiphertext } from '../smime/layers';
import { safeFileName } from './fileNames';
import { childrenOf, isWithin, walkTree, type MessageTree } from './tree';

export type PartKind = 'multipart' | 'text' | 'html' | 'image' | 'message' | 'smime' | 'attachment';

const SMIME_TYPES = new Set([
  'application/pkcs7-mime', 'application/x-pkcs7-mime', 'application/pkcs7-signature', 'application/x-pkcs7-signature',
]);

export function partKind(entity: MimeEntity): PartKind {
  const type = entity.contentType.mimeType;
  if (type.startsWith('multipart/')) return 'multipart';
  if (type === 'message/rfc822' || type === 'message/global') return 'message';
  if (SMIME_TYPES.has(type)) return 'smime';
  const attachment = entity.disposition === 'attachment';
  if (type === 'text/plain' && !attachment) return 'text';
  if (type === 'text/html' && !attachment) return 'html';
  if (type.startsWith('image/')) return 'image';
  return 'attachment';
}

/** The parts a reader would see, in order. */
export function displayParts(tree: MessageTree, entity: MimeEntity = tree.message.root): MimeEntity[] {
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

/** The Content-ID without its angle brackets (RFC 2392 §2). */
export function contentId(entity: MimeEntity): string | undefined {
  const h = entity.headers.find((f) => f.key === 'content-id');
  if (!h) return undefined;
  let id = h.value.trim();
  if (id.startsWith('<')) id = id.slice(1);
  if (id.endsWith('>')) id = id.slice(0, -1);
  return id;
}

/** The nearest multipart/related around a part: its parts are the only ones cid: may name. */
export function relatedRoot(entity: MimeEntity): MimeEntity | undefined {
  for (let p = entity.parent; p; p = p.parent) if (p.contentType.mimeType === 'multipart/related') return p;
  return undefined;
}

/** The part a `cid:` reference in `from` names, or undefined when it is not in the same multipart/related. */
export function resolveContentId(tree: MessageTree, from: MimeEntity, cid: string): MimeEntity | undefined {
  const related = relatedRoot(from);
  if (!related) return undefined;
  const wanted = cid.toLowerCase();
  for (const candidate of walkTree(tree, related)) {
    if (candidate !== from && contentId(candidate)?.toLowerCase() === wanted) return candidate;
  }
  return undefined;
}

export interface Attachment {
  entity: MimeEntity;
  /** The name the message gives, cleaned for saving (safeFileName); a fallback from the part path otherwise. */
  fileName: string;
  mimeType: string;
  /** Encoded size of the body in the message. */
  encodedSize: number;
}

/**
 * Leaves that are not shown as the message and not an inline image the shown HTML uses: what a reader would
 * save. `inlined` lists the paths of parts the shown HTML pulled in through cid:.
 */
export function attachments(tree: MessageTree, inlined: ReadonlySet<string> = new Set()): Attachment[] {
  const shown = new Set(displayParts(tree).map((e) => e.path));
  const out: Attachment[] = [];
  for (const entity of walkTree(tree)) {
    const kind = partKind(entity);
    if (shown.has(entity.path) || inlined.has(entity.path) || childrenOf(tree, entity).length) continue;
    if (kind !== 'attachment' && kind !== 'image' && !(entity.disposition === 'attachment' && kind !== 'smime')) continue;
    out.push({
      entity,
      fileName: safeFileName(entity.filename, `part-${entity.path}`),
      mimeType: entity.contentType.mimeType,
      encodedSize: Math.max(0, entity.end - entity.bodyStart),
    });
  }
  return out;
}

/**
 * Whether a part of the file is worth offering to save as it stands (the raw view, which shows every part): a
 * leaf that is named, marked as an attachment, or not text. Wider than attachments(), which leaves out what a
 * reader sees as the message.
 */
export function isSavablePart(entity: MimeEntity): boolean {
  if (entity.children.length > 0 || entity.multipart) return false;
  if (entity.filename || entity.disposition === 'attachment') return true;
  const type = entity.contentType.mimeType;
  return !type.startsWith('text/') && !type.startsWith('message/');
}

export type Coverage = 'signed' | 'encrypted' | 'signed-encrypted' | 'not-covered' | 'unprotected';

export interface PartProtection {
  coverage: Coverage;
  /** The signed layers that cover the part, with their status (worst first is up to the reader). */
  signatures: { layer: SignedLayerReport; status: SignerStatus }[];
  /** Inside an encryption layer. */
  encrypted: boolean;
  /** Inside an encryption layer that was decrypted. */
  decrypted: boolean;
}

/** Whether a signed layer covers `path`: what it protects, plus its own carrier and signature part. */
function layerCovers(layer: SignedLayerReport, path: string): boolean {
  if (path === layer.path || (layer.form === 'detached' && path === layer.path + '.2')) return true;
  return signsOnlyCiphertext(layer) ? path === layer.covers : isWithin(path, layer.covers);
}

/**
 * What protects a part. When any part of the message is signed, a part no signature covers is "not-covered",
 * so that a signed attachment cannot pass for a signed message (RFC 8551 §3.5).
 */
export function partProtection(report: Pick<SecurityReport, 'layers'>, path: string): PartProtection {
  const signedLayers = report.layers.filter((l): l is SignedLayerReport => l.kind === 'signed');
  const signatures = signedLayers.filter((l) => layerCovers(l, path)).map((layer) => ({ layer, status: layer.status }));
  const encryption = report.layers.filter(isEncrypted);
  const encrypted = encryption.some((l) => isWithin(path, l.path));
  const decrypted = encryption.some((l) => l.decrypted && isWithin(path, l.covers));
  let coverage: Coverage;
  if (signatures.length) coverage = encrypted ? 'signed-encrypted' : 'signed';
  else if (encrypted) coverage = 'encrypted';
  else coverage = signedLayers.length ? 'not-covered' : 'unprotected';
  return { coverage, signatures, encrypted, decrypted };
}
