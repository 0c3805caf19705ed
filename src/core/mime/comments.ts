/**
 * RFC 5322 §3.2.2 comments ("(...)", nesting, with quoted-pairs) removed from a structured field value in one
 * left-to-right pass. A regex such as /\(.*?\)/g restarts its lazy scan at every "(" of a run of parentheses,
 * which is quadratic in the length of the field.
 */

const BACKSLASH = 0x5c;
const OPEN = 0x28;
const CLOSE = 0x29;
const QUOTE = 0x22;

/** The value without its comments; an unclosed comment runs to the end of the value (and is removed). Quoted
 *  strings are kept as written, parentheses inside them included. */
export function stripComments(value: string): string {
  if (!value.includes('(')) return value;
  let out = '';
  let copied = 0;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === BACKSLASH && (quoted || depth > 0)) {
      i++; // quoted-pair (§3.2.1): the next character is literal
    } else if (depth === 0 && c === QUOTE) {
      quoted = !quoted;
    } else if (!quoted && c === OPEN) {
      if (depth === 0) out += value.slice(copied, i);
      depth++;
    } else if (depth > 0 && c === CLOSE) {
      depth--;
      // A comment separates what is on either side of it, like whitespace (CFWS).
      if (depth === 0) {
        out += ' ';
        copied = i + 1;
      }
    }
  }
  return depth > 0 ? out : out + value.slice(copied);
}
