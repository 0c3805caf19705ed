/**
 * The Date field set to the signing time. RFC 5322 §3.6.1 makes Date the moment the message was ready to send,
 * which for a message signed now is now; readers (Thunderbird's VERIFY_TIME_MISMATCH, our signing-time-mismatch)
 * flag a signingTime more than an hour from Date, so a draft signed days after it was written would be flagged.
 */
import { parseMessage } from '../../mime/parser';
import { headerBlockEnd } from './prepare';
import type { PreflightChange } from './types';

export interface SigningDateOptions {
  /** Replace the Date field (or add one) with the signing time before the message is signed. */
  refreshDate?: boolean;
}

/** RFC 5322 §3.3 date-time in UTC, e.g. "Thu, 03 Dec 2026 07:45:28 +0000". */
export function rfc5322Date(when: Date): string {
  return when.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * `input` with one Date field holding `when`: the first Date field is replaced in place, further ones (RFC 5322
 * §3.6 allows one) are dropped, and a message without Date gets one at the top. The body is not touched.
 */
export function withSigningDate(input: Buffer, when: Date): { input: Buffer; change: PreflightChange } {
  const end = headerBlockEnd(input);
  const fields = parseMessage(input.subarray(0, end)).root.headers;
  const dates = fields.filter((f) => f.key === 'date');
  const firstLf = input.indexOf(0x0a);
  const eol = firstLf > 0 && input[firstLf - 1] === 0x0d ? '\r\n' : firstLf === -1 ? '\r\n' : '\n';
  const line = Buffer.from(`Date: ${rfc5322Date(when)}${eol}`, 'latin1');
  const reason = 'the signing time and Date agree, so readers do not flag them as more than an hour apart (RFC 5322 §3.6.1)';
  if (dates.length === 0) {
    return { input: Buffer.concat([line, input]), change: { path: '1', change: `Date: ${rfc5322Date(when)} added`, reason } };
  }
  const pieces: Buffer[] = [];
  let pos = 0;
  for (const [i, field] of dates.entries()) {
    pieces.push(input.subarray(pos, field.start));
    if (i === 0) pieces.push(line);
    pos = field.end;
  }
  pieces.push(input.subarray(pos));
  const old = dates.map((d) => d.value).join(', ');
  return { input: Buffer.concat(pieces), change: { path: '1', change: `Date "${old}" -> "${rfc5322Date(when)}"`, reason } };
}
