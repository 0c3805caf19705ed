/**
 * One overall verdict from the layers. The rules that keep it honest:
 * - only a signature over the message itself counts (a signed inner part is "partially signed");
 * - a message with a parser differential (two readings) is invalid, whatever its signatures say;
 * - a signature over ciphertext only says who sent the ciphertext, not who wrote the text, so it does not make
 *   the decrypted message signed (Thunderbird ignores it the same way), also when the ciphertext was first
 *   wrapped into a multipart or an attached message;
 * - every signer of a counting layer must be valid;
 * - CBC encryption without a signature inside is malleable (EFAIL, USENIX Security 2018).
 */
import { isWithin as within } from '../mail/tree';
import type { MimeEntity, ParsedMessage } from '../mime/entity';
import { isEncrypted, judgeLayer } from './layers';
import {
  REPORT_SCHEMA,
  reason,
  worstStatus,
  type LayerReport,
  type Reason,
  type ReasonCode,
  type SecurityReport,
  type SignedLayerReport,
  type Verdict,
} from './report';
import { signerName } from './reportLookup';

type Registry = SecurityReport['certificates'];

/** Whether the signed content holds ciphertext: the encrypted entity itself, or one wrapped into a multipart or
 *  an attached message before signing. Either way the signer may never have seen the text inside. */
function signsCiphertext(layer: LayerReport, layers: LayerReport[]): boolean {
  return layers.some((l) => isEncrypted(l) && within(l.path, layer.covers));
}

/** A parser differential makes the message invalid whatever its signatures say (structure.ts). */
function ambiguity(messageReasons: Reason[]): Reason | undefined {
  return messageReasons.find((r) => r.code === 'ambiguous-content' && r.severity === 'error');
}

function collectWarnings(message: ParsedMessage, inner: Map<string, ParsedMessage>): SecurityReport['warnings'] {
  const out: SecurityReport['warnings'] = [];
  const visit = (e: MimeEntity) => {
    for (const w of e.warnings) out.push({ path: e.path, code: w.code, message: w.message });
    for (const c of e.children) visit(c);
  };
  visit(message.root);
  for (const m of inner.values()) visit(m.root);
  return out;
}

function signerLabel(layer: SignedLayerReport, certificates: Registry): string {
  const names = layer.signers.map((s) => signerName(certificates, s) ?? 'unknown signer');
  return names.length ? names.join(', ') : 'nobody';
}

/**
 * MIME warnings that mean the message was cut short or its structure is broken, in the order they are looked for.
 * When a CMS structure then cannot be read, one of these is its cause, and says more than a DER length.
 */
const STRUCTURE_CAUSES = ['missing-close-boundary', 'boundary-not-found', 'missing-boundary', 'base64-truncated', 'base64-missing-padding', 'missing-header-separator', 'no-parts', 'empty-part'];

function structureCause(warnings: SecurityReport['warnings']): string | undefined {
  for (const code of STRUCTURE_CAUSES) {
    const found = warnings.find((w) => w.code === code);
    if (found) return `the message is cut short or malformed: ${found.message} (part ${found.path})`;
  }
  return undefined;
}

function summarize(
  verdict: Verdict,
  counting: SignedLayerReport[],
  layers: LayerReport[],
  messageReasons: Reason[],
  warnings: SecurityReport['warnings'],
  certificates: Registry,
): string {
  const signedBy = () => counting.map((l) => signerLabel(l, certificates)).join(' and ');
  const enc = layers.filter(isEncrypted).find((l) => l.coversMessage);
  const encText = enc ? (enc.decrypted ? `; encrypted with ${enc.contentEncryption}` : `; encrypted with ${enc.contentEncryption}, not decrypted`) : '';
  // A structure that cannot be read is explained by the first MIME-level cause when there is one.
  const cause = structureCause(warnings);
  const explain = (r: Reason | undefined) => {
    if (!r || r.code !== 'malformed') return r?.message;
    if (cause) return cause;
    // A DER length past the end of the data, with no MIME-level cause: the base64 itself was cut at a line end.
    return /runs past the end/.test(r.message) ? `the S/MIME data ends early, the message was cut short (${r.message})` : r.message;
  };
  const firstError = (l: SignedLayerReport) =>
    explain(l.reasons.find((r) => r.severity === 'error') ?? l.signers.flatMap((s) => s.reasons).find((r) => r.severity === 'error'));
  switch (verdict) {
    case 'valid':
      return `Signed by ${signedBy()}: valid${encText}`;
    case 'unsigned': {
      const partial = messageReasons.find((r) => r.code === 'partial-signature');
      const unreadable = messageReasons.find((r) => r.code === 'malformed' && r.severity === 'error');
      if (!partial && unreadable) return `No signature could be read: ${explain(unreadable)}${encText}`;
      return (partial ? partial.message : 'The message is not signed') + encText;
    }
    case 'invalid': {
      const ambiguous = ambiguity(messageReasons);
      if (ambiguous) return `Invalid: the message can be read more than one way (${ambiguous.message})${encText}`;
      const worst = counting.find((l) => l.status !== 'valid');
      const why = worst ? firstError(worst) : undefined;
      return `Signed by ${signedBy()}: invalid${why ? ` (${why})` : ''}${encText}`;
    }
    case 'error': {
      const notMime = messageReasons.find((r) => r.code === 'not-mime');
      if (notMime) return `Not a MIME message: ${notMime.message}`;
      return `Cannot tell: ${enc ? 'the message is encrypted and no matching key was given' : cause ?? 'the message could not be read'}${encText}`;
    }
    default: {
      const worst = counting.find((l) => l.status !== 'valid');
      const why = worst ? firstError(worst) : undefined;
      return `Signed by ${signedBy()}: ${verdict}${why ? ` (${why})` : ''}${encText}`;
    }
  }
}

export function judgeMessage(
  layers: LayerReport[],
  messageReasons: Reason[],
  message: ParsedMessage,
  inner: Map<string, ParsedMessage>,
  at: Date,
  certificates: Registry,
): SecurityReport {
  const signedOverCiphertext: LayerReport[] = [];
  for (const layer of layers) {
    if (layer.kind === 'signed' && signsCiphertext(layer, layers)) {
      layer.coversMessage = false;
      signedOverCiphertext.push(layer);
      layer.reasons.push(reason('signed-ciphertext', 'warning', 'this signature covers encrypted content, so it says nothing about who wrote the text inside', 'RFC 8551 §3.7'));
    }
  }
  // Every layer's reasons are final from here on (the rest are message reasons or warnings): store its status.
  for (const layer of layers) judgeLayer(layer);
  const signed = layers.filter((l): l is SignedLayerReport => l.kind === 'signed');
  const counting = signed.filter((l) => l.coversMessage);
  const partial = signed.filter((l) => !l.coversMessage && !l.reasons.some((r) => r.code === 'signed-ciphertext'));
  for (const l of partial) {
    // A broken signature on the signed part is the news: say it first. (Untrusted or mismatched signers are told
    // in the layer's own checks; the headline is about the message being only partly signed.)
    const status = l.status;
    const why = l.reasons.find((r) => r.severity === 'error')?.message ?? l.signers.flatMap((s) => s.reasons).find((r) => r.severity === 'error')?.message;
    const text = status !== 'invalid'
      ? `part ${l.covers} is signed by ${signerLabel(l, certificates)}, the rest of the message is not`
      : `part ${l.covers} is signed by ${signerLabel(l, certificates)}, but that signature is ${status}${why ? ` (${why})` : ''}; the rest of the message is not signed`;
    messageReasons.push(reason('partial-signature', counting.length ? 'warning' : 'error', text, 'RFC 8551 §3.5'));
  }
  // Ciphertext under someone else's signature is as malleable as ciphertext alone: the signature fixes the
  // ciphertext, not the text inside.
  const underSignature = (enc: LayerReport) => signedOverCiphertext.some((s) => within(enc.path, s.covers));
  for (const enc of layers.filter(isEncrypted).filter((l) => l.kind === 'enveloped' && (l.coversMessage || underSignature(l)) && l.decrypted)) {
    const signedInside = counting.some((s) => s.depth > enc.depth);
    if (!signedInside) {
      enc.reasons.push(reason('not-integrity-protected', 'warning', `${enc.contentEncryption} without a signature inside: the ciphertext could have been modified (EFAIL)`, 'RFC 8551 §2.7'));
    }
  }
  const undecrypted = layers.filter(isEncrypted).find((l) => l.coversMessage && !l.decrypted);
  let verdict: Verdict;
  if (messageReasons.some((r) => r.code === 'not-mime')) {
    // Nothing to judge: not even "unsigned" can be said of a file that is not a message.
    verdict = 'error';
  } else if (ambiguity(messageReasons)) {
    verdict = 'invalid';
  } else if (counting.length) {
    const status = worstStatus(counting.map((l) => l.status));
    verdict = status;
  } else if (undecrypted) {
    verdict = 'error';
  } else {
    verdict = 'unsigned';
  }
  const codes = new Set<ReasonCode>();
  for (const r of messageReasons) codes.add(r.code);
  for (const l of layers) {
    for (const r of l.reasons) codes.add(r.code);
    if (l.kind === 'signed') for (const s of l.signers) for (const r of s.reasons) codes.add(r.code);
  }
  const root = message.root;
  const header = (key: string) => root.headers.filter((h) => h.key === key).map((h) => h.value);
  const warnings = collectWarnings(message, inner);
  return {
    schema: REPORT_SCHEMA,
    verdict,
    summary: summarize(verdict, counting, layers, messageReasons, warnings, certificates),
    reasons: [...codes],
    messageReasons,
    layers,
    certificates,
    message: {
      from: header('from'),
      sender: header('sender'),
      to: header('to'),
      subject: header('subject')[0] ?? null,
      date: header('date')[0] ?? null,
    },
    validationTime: at.toISOString(),
    warnings,
  };
}
