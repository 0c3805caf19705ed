/**
 * The words the raw-text features show (CodeLens titles, outline details, diagnostics), built from the core's
 * report and entity tree. Plain TypeScript without `vscode`, so the wording is unit-tested.
 */
import { signerName, type MimeEntity, type EnvelopedLayerReport, type Reason, type SecurityReport, type SignedLayerReport, type SignerStatus } from '../../core';

type Registry = SecurityReport['certificates'];

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "digest-mismatch" -> "digest mismatch". */
export function reasonWords(code: string): string {
  return code.replace(/-/g, ' ');
}

/** Size of the part's body as it sits in the file (still transfer-encoded). */
export function bodySize(entity: MimeEntity): number {
  return Math.max(0, entity.end - entity.bodyStart);
}

/** "text/plain · quoted-printable · utf-8 · 1.2 KB" (the encoding and charset only when stated). */
export function partDescription(entity: MimeEntity): string {
  const bits = [entity.contentType.mimeType];
  if (entity.transferEncoding && entity.transferEncoding !== '7bit') bits.push(entity.transferEncoding);
  if (entity.charset) bits.push(entity.charset);
  if (entity.filename) bits.push(`"${entity.filename}"`);
  bits.push(formatSize(bodySize(entity)));
  return bits.join(' · ');
}

export interface LayerStatus {
  status: SignerStatus;
  /** The first error that decided the status, if any. */
  reason?: Reason;
}

/** A signed layer's status (set by the core) and the reason that decided it: the layer's own error, no signer
 *  at all, or the first error of the first signer with the worst status. */
export function signedLayerStatus(layer: SignedLayerReport): LayerStatus {
  const status = layer.status;
  const layerError = layer.reasons.find((r) => r.severity === 'error');
  if (layerError) return { status, reason: layerError };
  const signers = layer.signers;
  if (signers.length === 0) return { status, reason: { code: 'no-signers', severity: 'error', message: 'no signer' } };
  return { status, reason: signers.find((s) => s.status === status)?.reasons.find((r) => r.severity === 'error') };
}

function signerNames(layer: SignedLayerReport, certificates: Registry): string {
  const names = layer.signers.map((s) => signerName(certificates, s) ?? 'unknown signer');
  return names.length ? names.join(', ') : 'nobody';
}

/** "Signed by alice@example.com: valid", "Signature invalid: digest mismatch",
 *  "Signed by bob@example.com: untrusted (untrusted root)". */
export function signatureTitle(layer: SignedLayerReport, certificates: Registry): string {
  const { status, reason } = signedLayerStatus(layer);
  if (status === 'valid') return `Signed by ${signerNames(layer, certificates)}: valid`;
  const why = reason ? reasonWords(reason.code) : undefined;
  if (status === 'invalid') return `Signature invalid${why ? `: ${why}` : ''}`;
  return `Signed by ${signerNames(layer, certificates)}: ${status}${why ? ` (${why})` : ''}`;
}

/** "Encrypted with AES-256-CBC for 2 recipients" or "Decrypted (AES-256-CBC)". */
export function encryptionTitle(layer: EnvelopedLayerReport): string {
  const algorithm = layer.contentEncryption || 'unknown cipher';
  if (layer.decrypted) return `Decrypted (${algorithm})`;
  const count = layer.recipients.length;
  return `Encrypted with ${algorithm} for ${count} recipient${count === 1 ? '' : 's'}`;
}

const VERDICT_ICONS: Record<SecurityReport['verdict'], string> = {
  valid: '$(verified)',
  invalid: '$(error)',
  untrusted: '$(warning)',
  mismatch: '$(warning)',
  unsigned: '$(circle-slash)',
  error: '$(question)',
};

/** Characters of the summary in the verdict lens: the lenses of the first line share it with the part's own
 *  lenses, so a long summary is cut (the lens's tooltip has all of it). */
export const MAX_VERDICT_CHARS = 64;

/** The overall verdict with an icon, e.g. "$(verified) Signed by alice@example.com: valid". */
export function verdictTitle(report: SecurityReport): string {
  const summary = report.summary.length > MAX_VERDICT_CHARS ? `${report.summary.slice(0, MAX_VERDICT_CHARS - 1).trimEnd()}…` : report.summary;
  return `${VERDICT_ICONS[report.verdict]} ${summary}`;
}

/** Name of the part in the outline: "1.2 text/plain" or "1.2 report.pdf". */
export function outlineName(entity: MimeEntity): string {
  return `${entity.path} ${entity.filename ?? entity.contentType.mimeType}`;
}
