/**
 * Style rules of message HTML, parsed just far enough to tell which elements they hide (CSS Syntax 3, Selectors 4
 * §3): type, universal, class, id and attribute selectors, compounds of them, descendant and child combinators.
 * A rule with any other selector that sets a property hidden-text detection looks at is counted as not
 * understood, so the detector can say its count is incomplete instead of passing it over. Linear: one pass over
 * the text, no backtracking regexes.
 */

/** The properties that can hide text or decide whether text is seen; rules setting none of them are skipped. */
export const WATCHED_PROPERTIES = new Set([
  'display', 'visibility', 'opacity', 'font-size', 'font', 'color', '-webkit-text-fill-color', 'background-color', 'background',
  'height', 'max-height', 'width', 'max-width', 'overflow', 'overflow-x', 'overflow-y', 'position', 'left', 'top', 'text-indent',
  'transform', 'clip', 'clip-path',
]);

/** Pseudo-classes of states a message at rest is not in: their rules do not apply when the message is shown. */
const DORMANT_PSEUDO_CLASSES = /^:(hover|active|focus|focus-within|focus-visible|visited|target)$/;

export interface Declaration {
  property: string;
  value: string;
  important: boolean;
}

export interface AttributeTest {
  name: string;
  /** Undefined: the attribute is present. */
  value?: string;
}

export interface Compound {
  tag?: string;
  id?: string;
  classes: string[];
  attributes: AttributeTest[];
}

/** Compounds from the rightmost (the subject) leftwards, each with the combinator to the next one left. */
export interface Selector {
  parts: { compound: Compound; combinator: ' ' | '>' }[];
  specificity: number;
}

export interface StyleRule {
  selector: Selector;
  declarations: Declaration[];
  /** Source order over the whole document. */
  order: number;
}

export interface ParsedStyles {
  rules: StyleRule[];
  /** Rules that set a watched property with a selector this parser does not evaluate. */
  notUnderstood: number;
}

/** Declarations of a block or a style attribute ("a: b; c: d !important"). */
export function parseDeclarations(text: string): Declaration[] {
  const out: Declaration[] = [];
  for (const item of text.split(';')) {
    const colon = item.indexOf(':');
    if (colon < 0) continue;
    const property = item.slice(0, colon).trim().toLowerCase();
    let value = item.slice(colon + 1).trim();
    const bang = value.toLowerCase().lastIndexOf('!important');
    const important = bang >= 0 && value.slice(bang + 10).trim() === '';
    if (important) value = value.slice(0, bang).trim();
    if (property && value) out.push({ property, value, important });
  }
  return out;
}

function unquote(value: string): string {
  const v = value.trim();
  return (v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")) ? v.slice(1, -1) : v;
}

/** One compound ("div.a#b[x=y]"), or null when it uses anything else (or a dormant state: `dormant`). */
function parseCompound(text: string): Compound | null | 'dormant' {
  const compound: Compound = { classes: [], attributes: [] };
  const re = /([a-zA-Z][\w-]*|\*)|\.([\w-]+)|#([\w-]+)|\[\s*([\w:-]+)\s*(?:=\s*("[^"]*"|'[^']*'|[\w-]+)\s*)?\]|(::?[\w-]+)/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    i = re.lastIndex;
    if (m[1] !== undefined) {
      if (i !== m[0].length) return null;
      if (m[1] !== '*') compound.tag = m[1].toLowerCase();
    } else if (m[2] !== undefined) compound.classes.push(m[2]);
    else if (m[3] !== undefined) compound.id = m[3];
    else if (m[4] !== undefined) compound.attributes.push({ name: m[4].toLowerCase(), ...(m[5] !== undefined ? { value: unquote(m[5]) } : {}) });
    else return DORMANT_PSEUDO_CLASSES.test(m[6]) || m[6].startsWith('::') ? 'dormant' : null;
  }
  return compound;
}

/** A complex selector, or null / 'dormant' as for compounds. */
export function parseSelector(text: string): Selector | null | 'dormant' {
  const tokens: string[] = [];
  text.split('>').forEach((piece, i) => {
    if (i > 0) tokens.push('>');
    for (const token of piece.split(/\s+/)) if (token) tokens.push(token);
  });
  const parts: Selector['parts'] = [];
  let combinator: ' ' | '>' = ' ';
  let specificity = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token === '>') {
      if (!parts.length || combinator === '>') return null;
      combinator = '>';
      continue;
    }
    const compound = parseCompound(token);
    if (compound === null || compound === 'dormant') return compound;
    if (parts.length) parts[parts.length - 1].combinator = combinator;
    parts.push({ compound, combinator: ' ' });
    combinator = ' ';
    specificity += (compound.id ? 10_000 : 0) + (compound.classes.length + compound.attributes.length) * 100 + (compound.tag ? 1 : 0);
  }
  return parts.length && combinator !== '>' ? { parts, specificity } : null;
}

/** Media queries that only apply when printing or to another medium than a screen. */
function appliesToScreen(prelude: string): boolean {
  const media = prelude.replace(/^@media/i, '').trim().toLowerCase();
  return !/^(only\s+)?(print|speech)\b/.test(media);
}

/** The position after the block opened at `open` ("{"), skipping nested blocks and strings. */
function blockEnd(css: string, open: number): number {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    const c = css[i];
    if (c === '"' || c === "'") {
      const close = css.indexOf(c, i + 1);
      i = close < 0 ? css.length : close;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return css.length;
}

function stripComments(css: string): string {
  let out = '';
  let i = 0;
  for (let open = css.indexOf('/*'); open >= 0; open = css.indexOf('/*', i)) {
    out += css.slice(i, open) + ' ';
    const close = css.indexOf('*/', open + 2);
    i = close < 0 ? css.length : close + 2;
  }
  return out + css.slice(i);
}

/** Appends the rules of a style sheet to `into`; `order` continues the document's source order. */
export function parseStyleSheet(cssText: string, into: ParsedStyles, depth = 0): void {
  const css = depth === 0 ? stripComments(cssText) : cssText;
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) break;
    const prelude = css.slice(i, open).trim();
    const semicolon = prelude.indexOf(';');
    if (prelude.startsWith('@') && semicolon >= 0) {
      // A statement at-rule (@charset, @import: already removed by the sanitizer); the rest is read again.
      i = css.indexOf(';', i) + 1;
      continue;
    }
    const end = blockEnd(css, open);
    const body = css.slice(open + 1, Math.max(open + 1, end - 1));
    i = end;
    if (prelude.startsWith('@')) {
      const nested = /^@(media|supports|layer|container|document)\b/i.test(prelude) && depth < 4;
      if (nested && (!/^@media/i.test(prelude) || appliesToScreen(prelude))) parseStyleSheet(body, into, depth + 1);
      continue;
    }
    const declarations = parseDeclarations(body).filter((d) => WATCHED_PROPERTIES.has(d.property));
    if (!declarations.length) continue;
    for (const text of prelude.split(',')) {
      const selector = parseSelector(text);
      if (selector === 'dormant') continue;
      if (selector === null) into.notUnderstood++;
      else into.rules.push({ selector, declarations, order: into.rules.length });
    }
  }
}
