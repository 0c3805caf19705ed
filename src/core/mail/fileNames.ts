/**
 * File names taken from a message (attachment names, certificate subjects) are only ever suggestions, and are
 * cleaned first, the same way for every front end: no directories ("../../etc/passwd"), no device names, no
 * control or bidi characters (which can make "exe.txt" read as "txt.exe"), no leading dots (hidden files).
 */

/** Longest suggested name; file systems allow 255 bytes. */
export const MAX_FILE_NAME_LENGTH = 120;

const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$/i;
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f<>:"|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function trimDotsAndSpaces(name: string): string {
  let start = 0;
  let end = name.length;
  const trimmed = (c: string) => c === '.' || c === ' ' || c === '\t';
  while (start < end && trimmed(name[start])) start++;
  while (end > start && trimmed(name[end - 1])) end--;
  return name.slice(start, end);
}

export function safeFileName(name: string | undefined, fallback: string): string {
  const slash = Math.max((name ?? '').lastIndexOf('/'), (name ?? '').lastIndexOf('\\'));
  const base = (name ?? '').slice(slash + 1);
  let clean = trimDotsAndSpaces(base.replace(UNSAFE_CHARACTERS, '_'));
  if (WINDOWS_RESERVED.test(clean)) clean = `_${clean}`;
  if (clean.length > MAX_FILE_NAME_LENGTH) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_FILE_NAME_LENGTH - ext.length) + ext;
  }
  return clean || fallback;
}
