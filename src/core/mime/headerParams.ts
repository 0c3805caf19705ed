/**
 * Structured header values with parameters: "type/subtype; name=value; ..." (RFC 2045 §5.1), including RFC 2231
 * continuations (name*0, name*1) and charset/language-tagged values (name*=utf-8'en'%E2%82%AC). Tolerant of what
 * real mail does (unquoted values with spaces, missing closing quotes, RFC 2047 words in file names), but every
 * place where another reader could take a different value is reported in `ambiguities`: a verifier must refuse
 * a structure that two programs read two ways (parser differentials).
 *
 * Every scan here is a single forward pass over the text; the only regular expressions are one character class
 * and short anchored patterns, all linear.
 */
import { decodeCharset } from './charset';
import { decodeEncodedWords } from './encodedWords';
import { commentEnd, isSpace, quotedEnd, trimSpaces, unescapePairs } from './headerSyntax';

export { withoutComments } from './headerSyntax';

export interface HeaderValueWithParams {
  value: string;
  /** Lower-case parameter names; values decoded. */
  params: Record<string, string>;
  /** Why other readers may read this value differently; empty when there is one reading. */
  ambiguities: string[];
}

/** Parameters whose value must be a token when unquoted (RFC 2045 §5.1): a reader that stops at the first space
 *  sees another boundary or protocol than one that keeps it. */
const TOKEN_PARAMS = new Set(['boundary', 'protocol', 'smime-type', 'charset', 'micalg']);
/** RFC 2047 §5 forbids encoded words in parameters; mail clients still write them in file names, and only there
 *  are they decoded. */
const ENCODED_WORD_PARAMS = new Set(['name', 'filename']);

interface Split {
  parts: string[];
  ambiguities: string[];
}

/** Splits on ";" outside quoted strings and comments. */
function splitParams(text: string): Split {
  const parts: string[] = [];
  const ambiguities: string[] = [];
  let partStart = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const end = quotedEnd(text, i);
      if (end < 0) {
        ambiguities.push('a quoted string is never closed');
        break;
      }
      i = end;
    } else if (ch === '(') {
      const end = commentEnd(text, i);
      const comment = text.slice(i, end < 0 ? text.length : end);
      // A comment that holds ";", "=" or a quote hides parameter syntax from readers that honour comments and
      // shows it to those that do not (RFC 2045 §5.1 allows comments; few mail readers implement them).
      if (end < 0 || /[;="]/.test(comment)) ambiguities.push('a comment holds parameter syntax');
      if (end < 0) break;
      i = end;
    } else if (ch === ';') {
      parts.push(text.slice(partStart, i));
      partStart = ++i;
    } else i++;
  }
  parts.push(text.slice(partStart));
  return { parts, ambiguities };
}

/** The value with a trailing comment removed, e.g. "us-ascii (Plain text)". Scans from the end only. */
function withoutTrailingComment(value: string): string {
  let end = value.length;
  while (end > 0 && isSpace(value[end - 1])) end--;
  if (end === 0 || value[end - 1] !== ')') return value.slice(0, end);
  const open = value.lastIndexOf('(', end - 1);
  if (open < 0 || value.indexOf(')', open) !== end - 1) return value.slice(0, end);
  let start = open;
  while (start > 0 && isSpace(value[start - 1])) start--;
  return value.slice(0, start);
}

interface Unquoted {
  text: string;
  quoted: boolean;
  /** Why this value may read differently elsewhere. */
  problem?: string;
}

function unquote(raw: string): Unquoted {
  const v = trimSpaces(raw);
  if (!v.startsWith('"')) {
    const text = withoutTrailingComment(v);
    for (let i = 0; i < text.length; i++) if (isSpace(text[i])) return { text, quoted: false, problem: 'an unquoted value holds white space' };
    return { text, quoted: false };
  }
  const end = quotedEnd(v, 0);
  const inner = end < 0 ? v.slice(1) : v.slice(1, end - 1);
  const text = inner.includes('\\') ? unescapePairs(inner) : inner;
  if (end < 0) return { text, quoted: true, problem: 'a quoted value is never closed' };
  if (withoutTrailingComment(v.slice(end)).length > 0) return { text, quoted: true, problem: 'text follows the quoted value' };
  return { text, quoted: true };
}

/** %XX-decodes an RFC 2231 extended value to bytes (latin1-mapped input). */
function percentBytes(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}

interface Segment {
  index: number;
  extended: boolean;
  value: string;
}

/** RFC 2231 §3-4 name forms: "name*" (extended, one piece), "name*N" and "name*N*" (continuations). */
function continuationName(rawName: string): { name: string; index: number; extended: boolean; indexText?: string } | undefined {
  const star = rawName.indexOf('*');
  if (star <= 0) return undefined;
  const name = rawName.slice(0, star);
  const rest = rawName.slice(star + 1);
  if (rest === '') return { name, index: 0, extended: true };
  const m = /^(\d{1,6})(\*?)$/.exec(rest);
  if (!m) return undefined;
  return { name, index: Number(m[1]), extended: m[2] === '*', indexText: m[1] };
}

/** Why a set of continuations may join differently elsewhere: repeated or missing numbers, leading zeros. */
function continuationProblem(name: string, segments: (Segment & { indexText?: string })[]): string | undefined {
  const seen = new Set<number>();
  for (const s of segments) {
    if (seen.has(s.index)) return `${name} has RFC 2231 section ${s.index} more than once`;
    seen.add(s.index);
    if (s.indexText !== undefined && s.indexText.length > 1 && s.indexText.startsWith('0')) return `${name} has an RFC 2231 section number with a leading zero`;
  }
  for (let i = 0; i < seen.size; i++) if (!seen.has(i)) return `${name} lacks RFC 2231 section ${i}`;
  return undefined;
}

function joinSegments(segments: Segment[]): string {
  segments.sort((a, b) => a.index - b.index);
  let charset = 'utf-8';
  const first = segments[0];
  const bytes: Buffer[] = [];
  for (const s of segments) {
    let value = s.value;
    if (s.extended && s === first) {
      // charset'language'value (RFC 2231 §4): two apostrophes, found by position, not by a pattern.
      const a = value.indexOf("'");
      const b = a < 0 ? -1 : value.indexOf("'", a + 1);
      if (b >= 0) {
        charset = value.slice(0, a) || 'us-ascii';
        value = value.slice(b + 1);
      }
    }
    bytes.push(s.extended ? percentBytes(value) : Buffer.from(value, 'latin1'));
  }
  const joined = Buffer.concat(bytes);
  return decodeCharset(joined, charset) ?? joined.toString('latin1');
}

/**
 * Parses a header value with parameters. `text` is the unfolded field value, each char one byte (latin1) or
 * already-decoded Unicode; both work.
 */
export function parseHeaderValue(text: string, options: { decodeWords?: boolean } = {}): HeaderValueWithParams {
  const decodeWords = options.decodeWords ?? true;
  const { parts, ambiguities } = splitParams(text);
  const [head, ...rest] = parts;
  const simple: Record<string, string> = {};
  const continued = new Map<string, (Segment & { indexText?: string })[]>();
  const note = (why: string) => {
    if (!ambiguities.includes(why)) ambiguities.push(why);
  };
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const rawName = trimSpaces(part.slice(0, eq)).toLowerCase();
    if (!rawName || rawName === '__proto__') continue;
    const { text: value, quoted, problem } = unquote(part.slice(eq + 1));
    const split = continuationName(rawName);
    const name = split ? split.name : rawName;
    if (problem && (quoted || TOKEN_PARAMS.has(name))) note(`${name}: ${problem}`);
    if (split) {
      const list = continued.get(name) ?? [];
      list.push({ index: split.index, extended: split.extended, value, ...(split.indexText === undefined ? {} : { indexText: split.indexText }) });
      continued.set(name, list);
    } else {
      // Readers differ on whether the first or the last of two equal names counts.
      if (Object.prototype.hasOwnProperty.call(simple, name)) note(`${name} is given more than once`);
      simple[name] = decodeWords && ENCODED_WORD_PARAMS.has(name) && (quoted || value.includes('=?')) ? decodeEncodedWords(value) : value;
    }
  }
  const params: Record<string, string> = { ...simple };
  for (const [name, segments] of continued) {
    // RFC 2231 §3 gives no rule for a name that is also given plainly: readers pick one or the other.
    if (Object.prototype.hasOwnProperty.call(simple, name)) note(`${name} is given both plainly and as RFC 2231 continuations`);
    const problem = continuationProblem(name, segments);
    if (problem) note(problem);
    params[name] = joinSegments(segments);
  }
  // RFC 2046 §5.1.1: a boundary never ends in a space; delimiter lines lose trailing white space as padding,
  // so readers disagree on whether such a boundary ever matches.
  const boundary = params.boundary;
  if (boundary !== undefined && boundary.length > 0 && isSpace(boundary[boundary.length - 1])) note('boundary ends in white space');
  return { value: trimSpaces(head), params, ambiguities };
}
