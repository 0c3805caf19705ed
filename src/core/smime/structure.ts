/**
 * MIME structure checks that decide whether a message has one reading only: the shape RFC 1847 gives
 * multipart/signed, and the parser differentials the MIME layer flags (ambiguity.ts). Both turn into reasons
 * that make the verdict invalid: a structure two programs read two ways is never shown as signed.
 */
import { OID } from '../asn1/oids';
import { isAmbiguityWarning } from '../mime/ambiguity';
import type { MimeEntity, ParsedMessage } from '../mime/entity';
import type { SmimeKind } from '../mime/smimeDetect';
import { reason, type Reason } from './report';

const RFC_OF_WARNING: Record<string, string> = {
  'duplicate-header': 'RFC 2045 §5',
  'ambiguous-field-name': 'RFC 5322 §4.5.3',
  'ambiguous-parameter': 'RFC 2231 §3',
  'ambiguous-content-type': 'RFC 2045 §5.2',
  'ambiguous-transfer-encoding': 'RFC 2045 §6.1',
  'ambiguous-boundary': 'RFC 2046 §5.1.2',
};

/** A crafted message can hold thousands of ambiguous fields; the first few say enough. */
export const MAX_AMBIGUITY_REASONS = 20;

/**
 * RFC 1847 §2.1: multipart/signed has exactly two parts, the content and the signature, and the protocol
 * parameter names the signature's type, which the second part carries. RFC 2046 §5.1.1: the close delimiter
 * ends the last part; without it, where the signature ends is a guess.
 */
export function multipartSignedProblems(entity: MimeEntity, kind: Extract<SmimeKind, { kind: 'multipart-signed' }>): Reason[] {
  const problems: Reason[] = [];
  const parts = entity.children.length;
  if (parts !== 2) {
    problems.push(reason('malformed', 'error', `multipart/signed has ${parts} part(s); it must have exactly two, the content and the signature, so what is signed is ambiguous`, 'RFC 1847 §2.1'));
  }
  if (!kind.protocolOk) {
    const second = entity.children[1]?.contentType.mimeType ?? 'missing';
    const why = kind.protocol === ''
      ? 'has no protocol parameter'
      : `says protocol="${kind.protocol}" but its second part is ${second}`;
    problems.push(reason('malformed', 'error', `multipart/signed ${why}; RFC 1847 §2.1 requires the protocol to name the signature part's S/MIME type`, 'RFC 1847 §2.1'));
  }
  if (entity.multipart && !entity.multipart.closed) {
    problems.push(reason('malformed', 'error', 'multipart/signed has no close delimiter, so where its parts end is ambiguous', 'RFC 2046 §5.1.1'));
  }
  return problems;
}

/** The smime-type values that may label each CMS content type (RFC 8551 §3.2.2). */
const SMIME_TYPES_OF: Record<string, string[]> = {
  [OID.signedData]: ['signed-data', 'certs-only'],
  [OID.envelopedData]: ['enveloped-data'],
  [OID.authEnvelopedData]: ['authenveloped-data'],
  [OID.compressedData]: ['compressed-data'],
};

/** A smime-type that names another CMS type than the body holds: readers that dispatch on the label (RFC 8551
 *  §3.2.2 lets them) open the body as something else than readers that look at the content. */
export function smimeTypeProblem(entity: MimeEntity, smimeType: string | undefined, contentType: string): Reason | undefined {
  if (smimeType === undefined) return undefined;
  const allowed = SMIME_TYPES_OF[contentType];
  if (!allowed || allowed.includes(smimeType)) return undefined;
  const text = `part ${entity.path} is labelled smime-type=${smimeType} but holds ${allowed[0]}; readers that go by the label read it differently`;
  return reason('ambiguous-content', 'error', text, 'RFC 8551 §3.2.2');
}

function* entities(root: MimeEntity): Generator<MimeEntity> {
  const stack = [root];
  while (stack.length) {
    const entity = stack.pop() as MimeEntity;
    yield entity;
    for (let i = entity.children.length - 1; i >= 0; i--) stack.push(entity.children[i]);
  }
}

/** One 'ambiguous-content' error per parser differential in the message and in every content unwrapped from it. */
export function ambiguityReasons(message: ParsedMessage, inner: Iterable<ParsedMessage>): Reason[] {
  const reasons: Reason[] = [];
  let more = 0;
  for (const tree of [message, ...inner]) {
    for (const entity of entities(tree.root)) {
      for (const warning of entity.warnings) {
        if (!isAmbiguityWarning(warning)) continue;
        if (reasons.length >= MAX_AMBIGUITY_REASONS) {
          more++;
          continue;
        }
        const text = `part ${entity.path} reads differently in other mail programs: ${warning.message}`;
        reasons.push(reason('ambiguous-content', 'error', text, RFC_OF_WARNING[warning.code]));
      }
    }
  }
  if (more) reasons.push(reason('ambiguous-content', 'error', `${more} more parser differential(s) not listed`));
  return reasons;
}
