/**
 * Structured header values with parameters: "type/subtype; name=value; ..." (RFC 2045 §5.1), including RFC 2231
 * continuations (name*0, name*1) and charset/language-tagged values (name*=utf-8'en'%E2%82%AC). Tolerant of what
 * real mail does: unquoted values with spaces, missing closing quotes, RFC 2047 words inside quoted values.
 */
import { decodeCharset } from './charset';
import { decodeEncodedWords } from './encodedWords';

export interface HeaderValueWithParams {
  value: string;
  /** Lower-case parameter names; values decoded. */
  params: Record<string, string>;
}

/** Splits on ";" outside quoted strings and comments. */
function splitParams(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let comment = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\' && i + 1 < text.length) {
        current += ch + text[++i];
        continue;
      }
      if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '(' ) comment++;
    else if (ch === ')' && comment > 0) comment--;
    else if (ch === ';' && comment === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function unquote(value: string): { text: string; quoted: boolean } {
  const v = value.trim();
  if (!v.startsWith('"')) return { text: v.replace(/\s*\([^()]*\)\s*$/, ''), quoted: false };
  const end = v.lastIndexOf('"');
  const inner = end > 0 ? v.slice(1, end) : v.slice(1);
  return { text: inner.replace(/\\(.)/g, '$1'), quoted: true };
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

function joinSegments(segments: Segment[]): string {
  segments.sort((a, b) => a.index - b.index);
  let charset = 'utf-8';
  const first = segments[0];
  const bytes: Buffer[] = [];
  for (const s of segments) {
    let value = s.value;
    if (s.extended && s === first) {
      const m = value.match(/^([^']*)'[^']*'(.*)$/s);
      if (m) {
        charset = m[1] || 'us-ascii';
        value = m[2];
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
  const [head, ...rest] = splitParams(text);
  const simple: Record<string, string> = {};
  const continued = new Map<string, Segment[]>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const rawName = part.slice(0, eq).trim().toLowerCase();
    if (!rawName || rawName === '__proto__') continue;
    const { text: value, quoted } = unquote(part.slice(eq + 1));
    const m = rawName.match(/^([^*]+)\*(?:(\d+)(\*)?)?$/) ?? rawName.match(/^([^*]+)\*(\d+)?(\*)?$/);
    if (m && (m[2] !== undefined || rawName.endsWith('*'))) {
      const name = m[1];
      const index = m[2] === undefined ? 0 : Number(m[2]);
      const extended = m[2] === undefined ? true : m[3] === '*';
      const list = continued.get(name) ?? [];
      list.push({ index, extended, value });
      continued.set(name, list);
    } else {
      simple[rawName] = decodeWords && (quoted || value.includes('=?')) ? decodeEncodedWords(value) : value;
    }
  }
  const params: Record<string, string> = { ...simple };
  for (const [name, segments] of continued) params[name] = joinSegments(segments);
  return { value: head.trim(), params };
}
