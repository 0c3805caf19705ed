/**
 * The security summary and the per-layer checklists, from the core's SecurityReport. Only a signature over the
 * message itself makes the banner green (RFC 8551 §3.5; the "Johnny" partial-signing attacks); everything else
 * is shown per layer.
 */
import {
  isEncrypted,
  signerCertificate,
  type Check,
  type LayerReport,
  type Reason,
  type SecurityReport,
  type SignedLayerReport,
  type SignerReport,
  type SignerStatus,
} from '../../core';
import type { CheckView, EncryptionView, LayerView, ReasonView, SignerView, SummaryView, Tone } from '../../shared/protocol';
import type { Translate } from './translate';

export function checkLabel(id: Check['id'], t: Translate): string {
  const labels: Record<Check['id'], string> = {
    structure: t('Structure'),
    digest: t('Content digest'),
    signature: t('Signature'),
    'signer-certificate': t('Signer certificate'),
    chain: t('Certificate chain'),
    'trust-anchor': t('Trust anchor'),
    validity: t('Validity period'),
    revocation: t('Revocation'),
    'key-usage': t('Key usage'),
    'ext-key-usage': t('Extended key usage'),
    sender: t('Signer matches From'),
    algorithm: t('Algorithms'),
    'signing-time': t('Signing time'),
    'signer-count': t('Number of signers'),
    content: t('Signed content'),
  };
  return labels[id] ?? id;
}

function checkView(c: Check, t: Translate): CheckView {
  return { id: c.id, status: c.status, label: checkLabel(c.id, t), detail: c.detail, ...(c.rfc ? { rfc: c.rfc } : {}) };
}

function reasonView(r: Reason): ReasonView {
  return { code: r.code, severity: r.severity, message: r.message, ...(r.rfc ? { rfc: r.rfc } : {}) };
}

export function statusTone(status: SignerStatus): Tone {
  return status === 'valid' ? 'ok' : status === 'invalid' ? 'error' : 'warn';
}

type Registry = SecurityReport['certificates'];

/** "Common Name <address>", from the signer's certificate in the report's registry. */
export function signerLabel(s: SignerReport, certificates: Registry, t: Translate): string {
  const cert = signerCertificate(certificates, s);
  const name = cert?.subjectCommonName ?? null;
  if (name && s.email) return `${name} <${s.email}>`;
  return name ?? s.email ?? cert?.subject ?? t('unknown signer');
}

function signerView(s: SignerReport, certificates: Registry, t: Translate): SignerView {
  return {
    status: s.status,
    tone: statusTone(s.status),
    name: signerLabel(s, certificates, t),
    email: s.email,
    signingTime: s.signingTime,
    digestAlgorithm: s.digestAlgorithm,
    signatureAlgorithm: s.signatureAlgorithm,
    chainTrusted: s.chainTrusted,
    chain: s.chain,
    checks: s.checks.map((c) => checkView(c, t)),
  };
}

function layerTone(layer: LayerReport): Tone {
  if (layer.kind === 'signed') return statusTone(layer.status);
  if (layer.reasons.some((r) => r.severity === 'error')) return 'error';
  if (layer.reasons.some((r) => r.severity === 'warning')) return 'warn';
  return layer.status === 'not-decrypted' ? 'neutral' : 'ok';
}

function layerTitle(layer: LayerReport, t: Translate): string {
  switch (layer.kind) {
    case 'signed':
      return layer.form === 'opaque' ? t('Signed (opaque, application/pkcs7-mime)') : t('Signed (detached, multipart/signed)');
    case 'enveloped':
      return t('Encrypted (EnvelopedData, {0})', layer.contentEncryption);
    case 'authEnveloped':
      return t('Encrypted and authenticated (AuthEnvelopedData, {0})', layer.contentEncryption);
    default:
      return t('Compressed (RFC 3274)');
  }
}

export function layerViews(report: SecurityReport, t: Translate): LayerView[] {
  return report.layers.map((layer) => ({
    kind: layer.kind,
    title: layerTitle(layer, t),
    path: layer.path,
    covers: layer.covers,
    coversMessage: layer.coversMessage,
    tone: layerTone(layer),
    checks: layer.kind === 'signed' ? layer.checks.map((c) => checkView(c, t)) : [],
    signers: layer.kind === 'signed' ? layer.signers.map((s) => signerView(s, report.certificates, t)) : [],
    reasons: layer.reasons.map(reasonView),
  }));
}

function encryptionView(report: SecurityReport, t: Translate): EncryptionView | undefined {
  const layer = report.layers.filter(isEncrypted).find((l) => l.coversMessage);
  if (!layer) return undefined;
  const algorithm = layer.contentEncryption;
  const weak = layer.reasons.some((r) => r.code === 'not-integrity-protected');
  const notes: string[] = [];
  if (weak) notes.push(t('not integrity-protected: {0} without a signature inside can be altered in transit (EFAIL)', algorithm));
  for (const r of layer.reasons) if (r.code !== 'not-integrity-protected') notes.push(r.message);
  return {
    text: layer.decrypted ? t('Encrypted with {0}; decrypted in memory only', algorithm) : t('Encrypted with {0}; not decrypted', algorithm),
    algorithm,
    decrypted: layer.decrypted,
    integrityProtected: layer.kind === 'authEnveloped' || !weak,
    notes,
  };
}

function signedLayers(report: SecurityReport): SignedLayerReport[] {
  return report.layers.filter((l): l is SignedLayerReport => l.kind === 'signed');
}

function formatTime(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function signedByLines(report: SecurityReport, t: Translate): string[] {
  const counting = signedLayers(report).filter((l) => l.coversMessage);
  return counting.flatMap((l) =>
    l.signers.map((s) => {
      const when = formatTime(s.signingTime);
      const name = signerLabel(s, report.certificates, t);
      return when ? t('Signed by {0} on {1}', name, when) : t('Signed by {0} (no signing time)', name);
    }),
  );
}

interface VerdictLook {
  tone: Tone;
  icon: string;
  title: string;
}

function verdictLook(verdict: SummaryView['verdict'], partial: boolean, t: Translate): VerdictLook {
  switch (verdict) {
    case 'valid':
      return { tone: 'ok', icon: 'verified-filled', title: t('Signature valid') };
    case 'invalid':
      return { tone: 'error', icon: 'error', title: t('Signature invalid') };
    case 'untrusted':
      return { tone: 'warn', icon: 'unverified', title: t('Signature not trusted') };
    case 'mismatch':
      // A possible spoof: as serious as a broken signature, whatever the chain says.
      return { tone: 'error', icon: 'warning', title: t('Signer does not match the sender') };
    case 'locked':
      return { tone: 'neutral', icon: 'lock', title: t('Encrypted: not decrypted') };
    case 'error':
      return { tone: 'error', icon: 'error', title: t('Cannot verify') };
    default:
      return partial
        ? { tone: 'warn', icon: 'warning', title: t('Only part of the message is signed') }
        : { tone: 'neutral', icon: 'mail', title: t('Not signed') };
  }
}

/** What the headline says when only part of the message is signed, or when the file is not a message at all. */
function specialLook(report: SecurityReport, t: Translate): VerdictLook | undefined {
  if (report.messageReasons.some((r) => r.code === 'not-mime')) return { tone: 'error', icon: 'circle-slash', title: t('Not a MIME message') };
  const partial = signedLayers(report).filter((l) => !l.coversMessage && !l.reasons.some((r) => r.code === 'signed-ciphertext'));
  if (report.verdict === 'unsigned' && partial.some((l) => l.status === 'invalid')) {
    return { tone: 'error', icon: 'error', title: t('Only part of the message is signed, and that signature is broken') };
  }
  return undefined;
}

export function summaryView(report: SecurityReport, t: Translate): SummaryView {
  const locked = report.verdict === 'error' && report.layers.filter(isEncrypted).some((l) => l.coversMessage && l.status === 'not-decrypted');
  const verdict: SummaryView['verdict'] = locked ? 'locked' : report.verdict;
  const partial = report.messageReasons.some((r) => r.code === 'partial-signature');
  const look = specialLook(report, t) ?? verdictLook(verdict, partial, t);
  const reasons = [
    ...report.messageReasons,
    ...report.layers.flatMap((l) => [...l.reasons, ...(l.kind === 'signed' ? l.signers.flatMap((s) => s.reasons) : [])]),
  ];
  const seen = new Set<string>();
  const unique = reasons.filter((r) => !seen.has(r.code + r.message) && seen.add(r.code + r.message));
  const encryption = encryptionView(report, t);
  return {
    verdict,
    ...look,
    detail: report.summary,
    signedBy: signedByLines(report, t),
    ...(encryption ? { encryption } : {}),
    reasons: unique.map(reasonView),
    validationTime: report.validationTime,
  };
}
