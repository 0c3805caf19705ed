/**
 * A signed layer: a multipart/signed entity (RFC 8551 §3.5.3, detached) or an application/pkcs7-mime
 * signed-data entity (RFC 8551 §3.5.2, opaque). Builds the signers' reports and the layer's own reasons,
 * including the structural defences of the "Johnny, you are fired!" study (USENIX Security 2019).
 */
import { createHash } from 'node:crypto';
import { attributeViolations } from '../cms/attributeRules';
import type { SignedData, SignerInfo } from '../cms/signedData';
import type { DigestName } from '../digests';
import type { CertificateRegistry } from './certificateRegistry';
import { hasBareLf, toCanonicalCrlf } from './canonical';
import { reason, worstStatus, type Check, type Reason, type SignerReport, type SignerStatus } from './report';
import { verifySigner, type ContentDigester, type MessageContext, type TrustOptions } from './verifySigner';

export interface SignedLayerResult {
  signers: SignerReport[];
  reasons: Reason[];
  checks: Check[];
  status: SignerStatus;
  canonicalized: boolean;
}

/** Hashes a list of buffer views once per algorithm; nothing is concatenated for hashing. */
export function digesterFor(segments: Buffer[]): ContentDigester {
  const cache = new Map<DigestName, Buffer>();
  let joined: Buffer | undefined;
  return {
    digest(hash) {
      let d = cache.get(hash);
      if (!d) {
        const h = createHash(hash);
        for (const s of segments) h.update(s);
        d = h.digest();
        cache.set(hash, d);
      }
      return d;
    },
    bytes() {
      if (!joined) joined = segments.length === 1 ? segments[0] : Buffer.concat(segments);
      return joined;
    },
  };
}

function structuralReasons(sd: SignedData, form: 'detached' | 'opaque'): Reason[] {
  const reasons: Reason[] = [];
  if (sd.signerInfos.length === 0) {
    reasons.push(reason('no-signers', 'error', 'the signature holds no SignerInfo: nobody signed this', 'RFC 5652 §5.1'));
  }
  if (form === 'detached' && sd.eContent) {
    // A detached signature that also carries content is ambiguous: which content was signed?
    reasons.push(reason('ambiguous-content', 'error', 'a detached signature also carries encapsulated content; which one is meant is ambiguous', 'RFC 8551 §3.5.3'));
  }
  if (form === 'opaque' && !sd.eContent) {
    reasons.push(reason('malformed', 'error', 'opaque signed-data without encapsulated content', 'RFC 5652 §5.2'));
  }
  return reasons;
}

function layerChecks(sd: SignedData, form: 'detached' | 'opaque', reasons: Reason[], shapeProblems: Reason[]): Check[] {
  const has = (code: Reason['code']) => reasons.find((r) => r.code === code);
  const count = sd.signerInfos.length;
  const ambiguous = has('ambiguous-content') ?? has('malformed');
  const shape = shapeProblems[0];
  return [
    shape
      ? { id: 'structure', status: 'fail', detail: shape.message, ...(shape.rfc ? { rfc: shape.rfc } : {}) }
      : { id: 'structure', status: 'pass', detail: `CMS SignedData v${sd.version}, ${form}`, rfc: 'RFC 5652 §5.1' },
    {
      id: 'signer-count',
      status: count === 0 ? 'fail' : count > 1 ? 'warn' : 'pass',
      detail: count === 0 ? 'no SignerInfo: nobody signed' : count > 1 ? `${count} signers: each is shown, all must be valid` : 'one signer',
      rfc: 'RFC 5652 §5.1',
    },
    {
      id: 'content',
      status: ambiguous ? 'fail' : 'pass',
      detail: ambiguous ? ambiguous.message : form === 'detached' ? 'detached: the first MIME part is the signed content' : 'opaque: the encapsulated content is the signed content',
      rfc: 'RFC 8551 §3.5',
    },
  ];
}

/** RFC 5652 §11: a repeated, multi-valued or unsigned contentType, messageDigest or signingTime gives two
 *  readings of what was signed, so the signer is invalid whatever its digest and signature say. */
function withAttributeRules(report: SignerReport, signer: SignerInfo): SignerReport {
  const violations = attributeViolations(signer);
  if (violations.length === 0) return report;
  for (const v of violations) report.reasons.push(reason('ambiguous-attribute', 'error', v.message, v.rfc));
  report.checks.push({ id: 'structure', status: 'fail', detail: violations.map((v) => v.message).join('; '), rfc: violations[0].rfc });
  report.status = 'invalid';
  return report;
}

/**
 * Verifies every SignerInfo of `sd` over `content` (the exact signed bytes, as views). `shapeProblems` are the
 * MIME structure's errors (RFC 1847 §2.1), which fail the layer whatever the signers say.
 * For detached signatures with bare-LF content, the canonical CRLF form is verified (RFC 8551 §3.1.1);
 * if that fails but the bytes as stored verify, the stored form is accepted (some producers sign LF text).
 */
export function verifySignedLayer(
  sd: SignedData,
  content: Buffer[],
  form: 'detached' | 'opaque',
  trust: TrustOptions,
  msg: MessageContext,
  registry: CertificateRegistry,
  shapeProblems: Reason[] = [],
): SignedLayerResult {
  const reasons = [...shapeProblems, ...structuralReasons(sd, form)];
  const stored = digesterFor(content);
  const needsCanonical = form === 'detached' && content.some(hasBareLf);
  const canonical = needsCanonical ? digesterFor([toCanonicalCrlf(stored.bytes())]) : stored;
  let canonicalized = needsCanonical;
  const signers = sd.signerInfos.map((signer) => {
    const report = verifySigner(sd, signer, canonical, trust, msg, registry);
    if (needsCanonical && report.reasons.some((r) => r.code === 'digest-mismatch')) {
      const asStored = verifySigner(sd, signer, stored, trust, msg, registry);
      if (!asStored.reasons.some((r) => r.code === 'digest-mismatch')) {
        canonicalized = false;
        return withAttributeRules(asStored, signer);
      }
    }
    return withAttributeRules(report, signer);
  });
  if (canonicalized) {
    reasons.push(reason('line-endings-canonicalized', 'info', 'the signed part has bare LF line endings in this file; it was verified in canonical CRLF form', 'RFC 8551 §3.1.1'));
  }
  const checks = layerChecks(sd, form, reasons, shapeProblems);
  const statuses = signers.map((s) => s.status);
  const structural = reasons.some((r) => r.severity === 'error');
  const status: SignerStatus = structural ? 'invalid' : worstStatus(statuses);
  return { signers, reasons, checks, status, canonicalized };
}
