/**
 * Facts about a layer of the report that every front end needs, computed in one place: whether it is an
 * encryption layer, and each layer's status. The core stores the status in the layer when it builds the report
 * (LayerReport.status); front ends read that field and narrow on `kind`.
 */
import {
  worstStatus,
  type CompressedLayerReport,
  type CompressionLayerStatus,
  type EncryptionLayerStatus,
  type EnvelopedLayerReport,
  type LayerKind,
  type LayerReport,
  type LayerStatus,
  type SignedLayerReport,
  type SignerStatus,
} from './report';

/** A layer before its status is known (the core fills the status in once every reason is in). */
type Unjudged<T> = Omit<T, 'status'>;
export type LayerDraft = Unjudged<SignedLayerReport> | Unjudged<EnvelopedLayerReport> | Unjudged<CompressedLayerReport>;

const ENCRYPTION_KINDS: ReadonlySet<LayerKind> = new Set<LayerKind>(['enveloped', 'authEnveloped']);

export function isEncrypted<T extends Pick<LayerReport, 'kind'>>(layer: T): layer is T & { kind: EnvelopedLayerReport['kind'] } {
  return ENCRYPTION_KINDS.has(layer.kind);
}

/**
 * The status of a layer. Signed: zero signers or a layer error (such as ambiguous content) is invalid whatever the
 * signers say, else the worst signer, since every signer must be valid (RFC 8551 §3.5). Encrypted: whether it was
 * decrypted. Compressed: whether it was decompressed.
 */
export function layerStatus(layer: Unjudged<SignedLayerReport>): SignerStatus;
export function layerStatus(layer: Unjudged<EnvelopedLayerReport>): EncryptionLayerStatus;
export function layerStatus(layer: Unjudged<CompressedLayerReport>): CompressionLayerStatus;
export function layerStatus(layer: LayerDraft): LayerStatus;
export function layerStatus(layer: LayerDraft): LayerStatus {
  switch (layer.kind) {
    case 'signed':
      if (layer.reasons.some((r) => r.severity === 'error')) return 'invalid';
      if (layer.signers.length === 0) return 'invalid';
      return worstStatus(layer.signers.map((s) => s.status));
    case 'enveloped':
    case 'authEnveloped':
      return layer.decrypted ? 'decrypted' : 'not-decrypted';
    case 'compressed':
      return layer.reasons.some((r) => r.severity === 'error') ? 'failed' : 'decompressed';
  }
}

/** Stores the layer's status in it (once its reasons are final). */
export function judgeLayer(layer: LayerReport): void {
  if (layer.kind === 'signed') layer.status = layerStatus(layer);
  else if (layer.kind === 'compressed') layer.status = layerStatus(layer);
  else layer.status = layerStatus(layer);
}

/** A signature that covers only ciphertext says nothing about the text decrypted from it (RFC 8551 §3.7). */
export function signsOnlyCiphertext(layer: LayerReport): boolean {
  return layer.reasons.some((r) => r.code === 'signed-ciphertext');
}
