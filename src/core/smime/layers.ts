/**
 * Facts about a layer of the report that every front end needs, computed in one place: whether it is an
 * encryption layer, and the status of a signed layer (every signer must be valid, RFC 8551 §3.5; a layer error,
 * such as zero signers or ambiguous content, makes it invalid whatever the signers say).
 */
import { worstStatus, type LayerKind, type LayerReport, type SignerStatus } from './report';

const ENCRYPTION_KINDS: ReadonlySet<LayerKind> = new Set<LayerKind>(['enveloped', 'authEnveloped']);

export function isEncrypted(layer: Pick<LayerReport, 'kind'>): boolean {
  return ENCRYPTION_KINDS.has(layer.kind);
}

/** The status of a signed layer; undefined for other layers. */
export function layerStatus(layer: LayerReport): SignerStatus | undefined {
  return layer.kind === 'signed' ? signedLayerStatus(layer) : undefined;
}

/** The status of a layer known to be signed: zero signers or a layer error is invalid, else the worst signer. */
export function signedLayerStatus(layer: LayerReport): SignerStatus {
  if (layer.reasons.some((r) => r.severity === 'error')) return 'invalid';
  if (!layer.signers || layer.signers.length === 0) return 'invalid';
  return worstStatus(layer.signers.map((s) => s.status));
}

/** A signature that covers only ciphertext says nothing about the text decrypted from it (RFC 8551 §3.7). */
export function signsOnlyCiphertext(layer: LayerReport): boolean {
  return layer.reasons.some((r) => r.code === 'signed-ciphertext');
}
