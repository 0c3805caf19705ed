/**
 * Style rules of message HTML, parsed just far enough to tell which elements they hide (CSS Syntax 3); selectors
 * are read by cssSelectors.ts. A rule with a selector it does not evaluate that sets a property hidden-text
 * detection looks at is counted as not understood, so the detector can say its count is incomplete instead of
 * passing it over. Linear: one pass over the text, no backtracking regexes.
 */
import { parseSelector, type Selector } from './cssSelectors';

export type { AttributeTest, Combinator, Compound, NthTest, Selector } from './cssSelectors';

/** The properties that can hide text or decide whether text is seen; rules setting none of them are skipped. */
export const WATCHED_PROPERTIES = new Set([
  'display', 'visibility', 'opacity', 'font-size', 'font', 'color', '-webkit-text-fill-color', 'background-color', 'background',
  'height', 'max-height', 'width', 'max-width', 'overflow', 'overflow-x', 'overflow-y', 'position', 'left', 'top', 'text-indent',
  'transform', 'clip', 'clip-path',
]);

export interface Declaration {
  property: string;
  value: string;
  important: boolean;
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
