/**
 * Parse warnings that mark a parser differential: input that this parser reads one way and other mail readers
 * (Thunderbird, Outlook, webmail, the signer's own agent) may read another way. A verifier must refuse such
 * input rather than pick one reading silently, since the reading it shows as signed may not be the one the
 * recipient's other tools show ("Johnny, you are fired!", USENIX Security 2019, §4).
 */
import type { ParseWarning } from './entity';

export const AMBIGUITY_WARNINGS: ReadonlySet<string> = new Set([
  // Two Content-Type, Content-Transfer-Encoding or Content-Disposition fields (RFC 2045 gives no rule).
  'duplicate-header',
  // "Content-Type : ...": obsolete white space before the colon (RFC 5322 §4.5.3).
  'ambiguous-field-name',
  // A parameter given twice, plainly and as RFC 2231 continuations, with gaps, or with broken quoting.
  'ambiguous-parameter',
  // "type/subtype junk": RFC 2045 §5.2 says text/plain, lenient readers keep the type.
  'ambiguous-content-type',
  // A transfer encoding outside RFC 2045 §6.1.
  'ambiguous-transfer-encoding',
  // A nested multipart whose boundary is a prefix of an enclosing one, or the other way round (RFC 2046 §5.1.2).
  'ambiguous-boundary',
]);

export function isAmbiguityWarning(warning: ParseWarning): boolean {
  return AMBIGUITY_WARNINGS.has(warning.code);
}
