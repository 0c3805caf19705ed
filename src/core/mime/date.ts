/**
 * The Date field (RFC 5322 §3.3) read for comparison with a signature's signingTime. Comments are removed by a
 * linear scan, and a value longer than any date-time RFC 5322 can produce is not handed to the date parser: it
 * is unreadable, which the signing-time check treats as a failure, never as "no date".
 */
import { withoutComments } from './headerSyntax';

/**
 * The longest date-time worth parsing: "Wednesday, 31 December 2026 23:59:59 +0000" and its obsolete forms
 * (§4.3) stay under 80 characters; folding whitespace between the tokens accounts for the rest.
 */
export const MAX_DATE_LENGTH = 256;

/** The instant a Date field value names, or null when it cannot be read. */
export function parseMailDate(value: string): Date | null {
  // A comment separates tokens like white space (CFWS), so it becomes a space.
  const text = withoutComments(value, ' ').trim();
  if (text.length === 0 || text.length > MAX_DATE_LENGTH) return null;
  const date = new Date(text);
  return isNaN(date.getTime()) ? null : date;
}
