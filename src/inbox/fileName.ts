/**
 * Names of received messages: `TIMESTAMP-SUBJECT.eml`. The timestamp (UTC, to the millisecond) comes first so
 * the folder sorts by arrival; the subject is reduced to letters, digits and dashes so the name is valid on every
 * file system (no separators, no `:` for Windows, no leading dot that would hide it).
 */
import { parseMessage } from '../core';

/** Subject characters kept in a file name: long subjects are cut, the full one is in the message. */
export const MAX_SUBJECT_CHARS = 60;
/** Only the header block is read for the subject; a header block larger than this is not a real subject line. */
export const MAX_HEADER_SCAN_BYTES = 64 * 1024;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 20261203-074528-123 (UTC). */
export function timestamp(at: Date): string {
  return `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}-${pad(at.getUTCMilliseconds(), 3)}`;
}

export function subjectSlug(subject: string | undefined): string {
  const words = (subject ?? '').normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  let slug = words.split(' ').filter(Boolean).join('-').slice(0, MAX_SUBJECT_CHARS);
  while (slug.endsWith('-')) slug = slug.slice(0, -1);
  return slug || 'no-subject';
}

/** The name for a message received at `at`; `attempt` > 0 adds `-2`, `-3`… when the name is taken. */
export function messageFileName(at: Date, subject: string | undefined, attempt = 0): string {
  return `${timestamp(at)}-${subjectSlug(subject)}${attempt > 0 ? `-${attempt + 1}` : ''}.eml`;
}

/** The decoded Subject of a message (RFC 2047 encoded words decoded), read from its header block only. */
export function subjectOf(message: Buffer): string | undefined {
  const head = message.subarray(0, MAX_HEADER_SCAN_BYTES);
  const crlf = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  const ends = [crlf === -1 ? -1 : crlf + 4, lf === -1 ? -1 : lf + 2].filter((n) => n > 0);
  const headers = head.subarray(0, ends.length ? Math.min(...ends) : head.length);
  return parseMessage(headers).root.headers.find((h) => h.key === 'subject')?.value;
}
