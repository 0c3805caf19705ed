/**
 * "Why did my signature break?": compares a message as signed before sending with the same message after a
 * relay. The signature covers the signed part in its canonical form (RFC 8551 §3.1.1: CRLF line endings), byte
 * for byte; S/MIME has no relaxed canonicalisation (unlike DKIM, RFC 6376 §3.4), so any change there that
 * canonicalisation does not undo breaks it. The answer is fail-closed: "survives" needs the canonical signed
 * bytes and the signature object to be identical, and, when the signature can be checked, its digest and
 * signature value to verify after the relay.
 */
import { parseMessage } from '../mime/parser';
import type { ParsedMessage } from '../mime/entity';
import { analyzeMessage } from '../smime/analyze';
import { toCanonicalCrlf } from '../smime/canonical';
import type { SecurityReport, SignedLayerReport } from '../smime/report';
import { commonPrefix, compareEntities, excerpt, lineAt, unfoldedField, type Rewrite } from './rewrites';
import { locateSignedPart, type SignedForm, type SignedPart } from './signedPart';

export type { Rewrite, RewriteKind } from './rewrites';

/** Whether the cryptographic check of the first signed layer passes: digest and signature value, trust aside. */
export type SignatureIntegrity = 'intact' | 'broken' | 'not-checked';

export interface CompareReport {
  form: SignedForm;
  identical: boolean;
  /** The canonical signed bytes are the same before and after. */
  signedPartIdentical: boolean;
  breaksSignature: boolean;
  integrity: { before: SignatureIntegrity; after: SignatureIntegrity };
  rewrites: Rewrite[];
  /** Where the canonical signed parts first differ (message lines), with a short excerpt of each side. */
  firstDifference?: { lineBefore: number; lineAfter: number; before: string; after: string };
  summary: string;
}

export interface CompareResult {
  report: CompareReport;
  /** The canonical signed parts, for a side-by-side diff (undefined when there is no signed part). */
  canonical?: { before: Buffer; after: Buffer };
}

function integrityOf(report: SecurityReport): SignatureIntegrity {
  const layer = report.layers.find((l): l is SignedLayerReport => l.kind === 'signed');
  if (!layer || layer.signers.length === 0) return 'not-checked';
  const passes = (id: string) => layer.signers.every((s) => s.checks.some((c) => c.id === id && c.status === 'pass'));
  if (passes('digest') && passes('signature')) return 'intact';
  const fails = layer.signers.some((s) => s.checks.some((c) => (c.id === 'digest' || c.id === 'signature') && c.status === 'fail'));
  return fails ? 'broken' : 'not-checked';
}

function integrity(bytes: Buffer): SignatureIntegrity {
  try {
    return integrityOf(analyzeMessage(bytes, { anchors: [] }).report);
  } catch {
    return 'not-checked';
  }
}

function outerHeaderChanges(a: ParsedMessage, b: ParsedMessage): Rewrite | undefined {
  const describe = (m: ParsedMessage) => {
    const map = new Map<string, string>();
    const counts = new Map<string, number>();
    for (const h of m.root.headers) {
      const n = (counts.get(h.key) ?? 0) + 1;
      counts.set(h.key, n);
      map.set(`${h.key}#${n}`, unfoldedField(h, m.source));
    }
    return map;
  };
  const before = describe(a);
  const after = describe(b);
  const changes: string[] = [];
  const name = (key: string) => key.slice(0, key.indexOf('#'));
  for (const [key, value] of before) {
    const other = after.get(key);
    if (other === undefined) changes.push(`${name(key)} removed`);
    else if (other !== value) changes.push(`${name(key)} changed`);
  }
  for (const key of after.keys()) if (!before.has(key)) changes.push(`${name(key)} added`);
  if (!changes.length) return undefined;
  return { kind: 'outer-headers', part: 'message', detail: `headers outside the signature: ${[...new Set(changes)].join(', ')}`, breaksSignature: false };
}

function summarize(report: Omit<CompareReport, 'summary'>): string {
  if (report.form === 'none') return 'The message before the relay is not signed: there is no signature to break.';
  const already = report.integrity.before === 'broken' ? ' (it did not verify before the relay either)' : '';
  if (report.identical) return 'The messages are byte-for-byte identical: the relay changed nothing.';
  const named = [...new Set(report.rewrites.filter((r) => r.breaksSignature).map((r) => r.kind))];
  if (report.breaksSignature) {
    const why = named.length ? named.join(', ') : 'the signed bytes changed';
    return `The relay broke the signature: ${why}${already}.`;
  }
  if (report.integrity.after !== 'intact' && report.form !== 'encrypted') {
    return 'The signed part is unchanged, but the signature could not be checked after the relay: not confirmed.';
  }
  const harmless = [...new Set(report.rewrites.map((r) => r.kind))];
  return `The signature survives${harmless.length ? `; harmless changes: ${harmless.join(', ')}` : ''}.`;
}

function compareSigned(before: SignedPart, after: SignedPart, out: Rewrite[]): { canonical?: { before: Buffer; after: Buffer }; differs: boolean; first?: CompareReport['firstDifference'] } {
  if (!before.signed) return { differs: before.cms !== undefined && !(after.cms && before.cms.equals(after.cms)) };
  if (!after.signed || after.form !== before.form) {
    out.push({ kind: 'signed-part-missing', part: '1', detail: `the message after the relay has no ${before.form} signed part any more (${after.form})`, breaksSignature: true });
    return { differs: true };
  }
  const a = toCanonicalCrlf(before.signed);
  const b = toCanonicalCrlf(after.signed);
  const offsetBefore = (before.firstLine ?? 1) - 1;
  const offsetAfter = (after.firstLine ?? 1) - 1;
  if (a.equals(b)) {
    if (!before.signed.equals(after.signed)) {
      out.push({ kind: 'line-endings', part: '1', detail: 'line endings changed; the canonical form (CRLF, RFC 8551 §3.1.1) is the same', breaksSignature: false });
    }
    return { canonical: { before: a, after: b }, differs: false };
  }
  const found: Rewrite[] = [];
  compareEntities({ lineOffsetBefore: offsetBefore, lineOffsetAfter: offsetAfter, out: found }, parseMessage(a).root, parseMessage(b).root);
  const prefix = commonPrefix(a, b);
  const first = {
    lineBefore: lineAt(a, prefix) + offsetBefore,
    lineAfter: lineAt(b, prefix) + offsetAfter,
    before: excerpt(a.subarray(prefix)),
    after: excerpt(b.subarray(prefix)),
  };
  if (!found.length) {
    // Fail closed: the bytes differ even though no rewrite was recognised (e.g. headers reordered).
    found.push({ kind: 'content-changed', part: '1', lineBefore: first.lineBefore, lineAfter: first.lineAfter, detail: `the signed bytes differ from "${first.before}"`, breaksSignature: true });
  }
  out.push(...found);
  return { canonical: { before: a, after: b }, differs: true, first };
}

export function compareMessages(beforeBytes: Buffer, afterBytes: Buffer): CompareResult {
  const before = parseMessage(beforeBytes);
  const after = parseMessage(afterBytes);
  const partBefore = locateSignedPart(before);
  const partAfter = locateSignedPart(after);
  const rewrites: Rewrite[] = [];
  const identical = beforeBytes.equals(afterBytes);
  const signed = compareSigned(partBefore, partAfter, rewrites);
  let signatureDiffers = false;
  if (partBefore.form === 'detached' && partBefore.cms) {
    if (!partAfter.cms || !partBefore.cms.equals(partAfter.cms)) {
      signatureDiffers = true;
      rewrites.push({ kind: 'signature-changed', part: '2', detail: 'the signature object (application/pkcs7-signature) itself changed', breaksSignature: true });
    } else if (partBefore.holder && partAfter.holder) {
      const sigA = partBefore.holder.children[1];
      const sigB = partAfter.holder.children[1];
      const rawA = sigA.source.subarray(sigA.bodyStart, sigA.end);
      const rawB = sigB?.source.subarray(sigB.bodyStart, sigB.end);
      if (rawB && !toCanonicalCrlf(rawA).equals(toCanonicalCrlf(rawB))) {
        rewrites.push({ kind: 'signature-rewrapped', part: '2', detail: 'the signature part was re-encoded; its DER is the same, and verifiers decode it first', breaksSignature: false });
      }
    }
  }
  if (partBefore.form !== 'none') {
    const outer = outerHeaderChanges(before, after);
    if (outer) rewrites.push(outer);
  }
  const checkable = partBefore.form === 'detached' || partBefore.form === 'opaque';
  const beforeIntegrity: SignatureIntegrity = checkable ? integrity(beforeBytes) : 'not-checked';
  const afterIntegrity: SignatureIntegrity = !checkable ? 'not-checked' : identical ? beforeIntegrity : integrity(afterBytes);
  const breaksSignature =
    partBefore.form !== 'none' && (signed.differs || signatureDiffers || (beforeIntegrity === 'intact' && afterIntegrity === 'broken'));
  const partial: Omit<CompareReport, 'summary'> = {
    form: partBefore.form,
    identical,
    signedPartIdentical: partBefore.form !== 'none' && !signed.differs,
    breaksSignature,
    integrity: { before: beforeIntegrity, after: afterIntegrity },
    rewrites,
    ...(signed.first ? { firstDifference: signed.first } : {}),
  };
  return { report: { ...partial, summary: summarize(partial) }, ...(signed.canonical ? { canonical: signed.canonical } : {}) };
}
