/**
 * Lexical pieces of structured header values (RFC 5322 §3.2): quoted strings, comments, white space. Each is one
 * forward scan without regular expressions.
 */

export const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/** Index just past the quoted string opening at `open` (RFC 5322 §3.2.4, quoted-pairs skipped), or -1 when it
 *  is never closed. */
export function quotedEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** Index just past the comment opening at `open` (RFC 5322 §3.2.2, nested, quoted-pairs skipped), or -1. */
export function commentEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

export function trimSpaces(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  return text.slice(start, end);
}

/** Removes the backslash of each quoted-pair (RFC 5322 §3.2.1). */
export function unescapePairs(inner: string): string {
  const out: string[] = [];
  let from = 0;
  for (let i = inner.indexOf('\\'); i >= 0 && i + 1 < inner.length; i = inner.indexOf('\\', i + 2)) {
    out.push(inner.slice(from, i));
    from = i + 1;
  }
  out.push(inner.slice(from));
  return out.join('');
}

/**
 * The text with comments removed (RFC 5322 §3.2.2) in one pass; quoted strings are kept as written and an
 * unclosed comment runs to the end. `separator` stands in for each comment: a space where the comment separates
 * tokens that must stay apart (a Date's "3 Dec(x)2026"), nothing where it only trails a token.
 */
export function withoutComments(text: string, separator = ''): string {
  if (!text.includes('(')) return text;
  const kept: string[] = [];
  let from = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      const end = quotedEnd(text, i);
      i = end < 0 ? text.length : end;
    } else if (text[i] === '(') {
      kept.push(text.slice(from, i));
      const end = commentEnd(text, i);
      if (end < 0) return kept.join('');
      kept.push(separator);
      i = from = end;
    } else i++;
  }
  kept.push(text.slice(from));
  return kept.join('');
}
