/**
 * File names taken from a message (attachment names, certificate subjects) are only ever suggestions in a save
 * dialog, and are cleaned first: no directories ("../../etc/passwd"), no device names, no control characters.
 */

/** Longest suggested name; file systems allow 255 bytes. */
export const MAX_FILE_NAME_LENGTH = 120;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Leading and trailing dots and whitespace removed by a scan (a "[.\\s]+$" regex is quadratic on a long run). */
function trimDotsAndSpaces(name: string): string {
  const strip = (c: string) => c === '.' || c.trim() === '';
  let first = 0;
  let last = name.length;
  while (first < last && strip(name[first])) first++;
  while (last > first && strip(name[last - 1])) last--;
  return name.slice(first, last);
}

export function sanitizeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  let clean = base
    .replace(/[\u0000-\u001f\u007f<>:"|?*\u202a-\u202e\u2066-\u2069]/g, '_')
    .trim();
  clean = trimDotsAndSpaces(clean);
  if (WINDOWS_RESERVED.test(clean)) clean = `_${clean}`;
  if (clean.length > MAX_FILE_NAME_LENGTH) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, MAX_FILE_NAME_LENGTH - ext.length) + ext;
  }
  return clean || fallback;
}

/** NAME.eml -> NAME.signed.eml (or .encrypted.eml ...), beside the input. */
export function outputName(input: string, suffix: 'signed' | 'encrypted' | 'signed-encrypted'): string {
  const m = /^(.*?)(\.eml)?$/i.exec(input);
  return `${m?.[1] ?? input}.${suffix}.eml`;
}
