/**
 * The readable text of an HTML part, for places that cannot render HTML (the command line). One pass over the
 * markup: tags are dropped, block ends become line breaks, script/style/head/title contents and comments are
 * skipped, and the common character references are decoded. Nothing here is ever rendered as HTML.
 */

/** Elements whose content is not text a reader sees. */
const SKIPPED_CONTENT = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);
/** Elements that end a line or a block. */
const BREAKING = new Set(['br', 'p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'blockquote', 'pre', 'hr', 'ul', 'ol']);
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
/** Longest character reference worth decoding ("&#x10FFFF;" is 10 characters). */
const MAX_REFERENCE = 10;

function tagName(html: string, from: number): { name: string; closing: boolean } {
  let i = from + 1;
  const closing = html[i] === '/';
  if (closing) i++;
  let name = '';
  while (i < html.length && name.length < 16) {
    const c = html[i].toLowerCase();
    if (c < 'a' || c > 'z') {
      if (name && c >= '0' && c <= '9') {
        name += c;
        i++;
        continue;
      }
      break;
    }
    name += c;
    i++;
  }
  return { name, closing };
}

function reference(html: string, at: number): { text: string; length: number } | undefined {
  // Looked for within MAX_REFERENCE characters only, so a run of "&" is not rescanned to the end each time.
  let end = -1;
  for (let k = at + 1; k < html.length && k <= at + MAX_REFERENCE; k++) {
    if (html[k] === ';') {
      end = k;
      break;
    }
  }
  if (end === -1) return undefined;
  const body = html.slice(at + 1, end);
  let code: number | undefined;
  if (body.startsWith('#x') || body.startsWith('#X')) code = parseInt(body.slice(2), 16);
  else if (body.startsWith('#')) code = parseInt(body.slice(1), 10);
  else if (Object.hasOwn(NAMED, body)) return { text: NAMED[body], length: end - at + 1 };
  if (code === undefined || !Number.isInteger(code) || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { text: String.fromCodePoint(code), length: end - at + 1 };
}

function indexOrEnd(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

export function htmlToText(html: string): string {
  const out: string[] = [];
  let nextLt = -1;
  let nextAmp = -1;
  let skipUntil: string | undefined;
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === '<') {
      if (html.startsWith('<!--', i)) {
        const end = html.indexOf('-->', i + 4);
        i = end === -1 ? html.length : end + 3;
        continue;
      }
      const { name, closing } = tagName(html, i);
      const end = html.indexOf('>', i + 1);
      i = end === -1 ? html.length : end + 1;
      if (skipUntil) {
        if (closing && name === skipUntil) skipUntil = undefined;
        continue;
      }
      if (!closing && SKIPPED_CONTENT.has(name)) skipUntil = name;
      else if (BREAKING.has(name)) out.push('\n');
      continue;
    }
    if (skipUntil) {
      const next = html.indexOf('<', i);
      i = next === -1 ? html.length : next;
      continue;
    }
    if (c === '&') {
      const ref = reference(html, i);
      if (ref) {
        out.push(ref.text);
        i += ref.length;
        continue;
      }
    }
    // The next "<" and "&" are remembered, so text between many tags is not searched to the end again each time.
    if (nextLt < i) nextLt = indexOrEnd(html, '<', i);
    if (nextAmp <= i) nextAmp = indexOrEnd(html, '&', i + 1);
    const next = Math.min(nextLt, nextAmp);
    out.push(html.slice(i, next));
    i = next;
  }
  // Runs of blank lines and spaces from the markup's own layout collapse.
  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
