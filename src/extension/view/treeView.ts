/**
 * The MIME tree as the user sees it, each part marked with what protects it. A part counts as signed only when
 * it lies inside what a signature covers (layer.covers, RFC 8551 §3.5); when any part of the message is signed,
 * every other content part is marked "not covered", so that a signed attachment cannot pass for a signed message.
 */
import type { MimeEntity } from '../../core/mime/entity';
import type { LayerReport } from '../../core/smime/report';
import type { Coverage, LayerView, PartKind, PartView, Tone } from '../../shared/protocol';
import { childrenOf, isWithin, type MessageTree } from './messageTree';

const ENCRYPTED_KINDS = new Set(['enveloped', 'authEnveloped']);
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

interface CoverageRules {
  signed: { layer: LayerReport; tone: Tone }[];
  encrypted: LayerReport[];
  anySignature: boolean;
}

function coverageRules(layers: LayerReport[], views: LayerView[]): CoverageRules {
  const signed = layers.map((layer, i) => ({ layer, tone: views[i]?.tone ?? 'neutral' })).filter((x) => x.layer.kind === 'signed');
  return { signed, encrypted: layers.filter((l) => ENCRYPTED_KINDS.has(l.kind)), anySignature: signed.length > 0 };
}

function signsOnlyCiphertext(layer: LayerReport): boolean {
  return layer.reasons.some((r) => r.code === 'signed-ciphertext');
}

/** Whether a signed layer covers `path`: what it protects, plus its own carrier and signature part. A signature over
 *  ciphertext covers the ciphertext only, not the text decrypted from it (RFC 8551 §3.7). */
function layerCovers(layer: LayerReport, path: string): boolean {
  if (path === layer.path || (layer.form === 'detached' && path === layer.path + '.2')) return true;
  return signsOnlyCiphertext(layer) ? path === layer.covers : isWithin(path, layer.covers);
}

/** The worst tone of the signatures covering `path`. */
function signatureTone(path: string, rules: CoverageRules): Tone | undefined {
  const tones = rules.signed.filter(({ layer }) => layerCovers(layer, path)).map((c) => c.tone);
  if (!tones.length) return undefined;
  return tones.includes('error') ? 'error' : tones.includes('warn') ? 'warn' : tones.includes('ok') ? 'ok' : 'neutral';
}

function coverageOf(path: string, rules: CoverageRules): { coverage: Coverage; tone: Tone; decrypted: boolean } {
  const tone = signatureTone(path, rules);
  const encrypted = rules.encrypted.some((l) => isWithin(path, l.path));
  const decrypted = rules.encrypted.some((l) => l.decrypted && isWithin(path, l.covers));
  if (tone) return { coverage: encrypted ? 'signed-encrypted' : 'signed', tone, decrypted };
  if (encrypted) return { coverage: 'encrypted', tone: 'neutral', decrypted };
  return rules.anySignature ? { coverage: 'not-covered', tone: 'warn', decrypted } : { coverage: 'unprotected', tone: 'neutral', decrypted };
}

function partView(tree: MessageTree, entity: MimeEntity, rules: CoverageRules): PartView {
  const { coverage, tone, decrypted } = coverageOf(entity.path, rules);
  const type = entity.contentType.mimeType;
  return {
    id: entity.path,
    mimeType: type,
    kind: partKind(entity),
    label: entity.filename ? `${type} (${entity.filename})` : type,
    ...(entity.filename ? { filename: entity.filename } : {}),
    size: Math.max(0, entity.end - entity.bodyStart),
    coverage,
    tone,
    decrypted,
    children: childrenOf(tree, entity).map((c) => partView(tree, c, rules)),
  };
}

export function treeView(tree: MessageTree, layers: LayerReport[], layerViews: LayerView[]): PartView {
  return partView(tree, tree.message.root, coverageRules(layers, layerViews));
}

/** Every part view, depth first (for lookups by id). */
export function flattenParts(root: PartView): PartView[] {
  return [root, ...root.children.flatMap(flattenParts)];
}
