/**
 * Selectors of message style sheets, parsed just far enough to evaluate them (Selectors Level 3, W3C): type,
 * universal, class, id and attribute selectors; the structural pseudo-classes :first-child, :last-child,
 * :only-child, :nth-child(), :nth-last-child() and their -of-type forms (§6.6.5); :not() of one compound (§6.6.7);
 * descendant, child, adjacent-sibling and general-sibling combinators (§8). Anything else is "not understood"
 * (null), so the caller can report that it could not judge the rule. Linear: one scan, anchored regexes only.
 */

/** Compounds allowed in one complex selector; longer ones are not evaluated (matching work grows with it). */
export const MAX_COMPOUNDS = 16;
/** Digits allowed in An+B; browsers clamp larger numbers, this parser does not guess how. */
const MAX_NTH_DIGITS = 9;

/** Pseudo-classes of states a message at rest is not in: their rules do not apply when the message is shown. */
const DORMANT_PSEUDO_CLASSES = /^:(?:hover|active|focus|focus-within|focus-visible|visited|target)$/;

export interface AttributeTest {
  name: string;
  /** Undefined: the attribute is present. */
  value?: string;
}

/** An+B counted among the element's siblings (or those of its type), from the start or from the end. */
export interface NthTest {
  a: number;
  b: number;
  fromEnd: boolean;
  ofType: boolean;
}

export interface Compound {
  tag?: string;
  id?: string;
  classes: string[];
  attributes: AttributeTest[];
  nth: NthTest[];
  /** :not() arguments: the element must match none of them. */
  not: Compound[];
  specificity: number;
}

export type Combinator = ' ' | '>' | '+' | '~';

/** Compounds from the rightmost (the subject) leftwards, each with the combinator to the next one left. */
export interface Selector {
  parts: { compound: Compound; combinator: Combinator }[];
  specificity: number;
  /** True when matching needs sibling positions (structural pseudo-classes, + or ~). */
  structural: boolean;
}

/** A in An+B and B, or null when `text` is not exactly the An+B microsyntax (CSS Syntax 3 §6). */
export function parseNth(text: string): { a: number; b: number } | null {
  const s = text.trim().toLowerCase();
  if (s === 'odd') return { a: 2, b: 1 };
  if (s === 'even') return { a: 2, b: 0 };
  const integer = /^([+-]?)(\d+)$/.exec(s);
  if (integer) return integer[2].length > MAX_NTH_DIGITS ? null : { a: 0, b: Number(integer[2]) * (integer[1] === '-' ? -1 : 1) };
  // No white space inside "An" or between its sign and n; around the sign of B it is allowed, a second sign is not.
  const m = /^([+-]?)(\d*)n(?:\s*([+-])\s*(\d+))?$/.exec(s);
  if (!m || m[2].length > MAX_NTH_DIGITS || (m[4] ?? '').length > MAX_NTH_DIGITS) return null;
  const a = (m[1] === '-' ? -1 : 1) * (m[2] === '' ? 1 : Number(m[2]));
  const b = m[3] === undefined ? 0 : (m[3] === '-' ? -1 : 1) * Number(m[4]);
  return { a, b };
}

/** True when `position` (1-based) is An+B for some n >= 0. */
export function nthMatches(a: number, b: number, position: number): boolean {
  if (a === 0) return position === b;
  const steps = (position - b) / a;
  return Number.isInteger(steps) && steps >= 0;
}

function unquote(value: string): string {
  const v = value.trim();
  return (v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")) ? v.slice(1, -1) : v;
}

const FIXED_NTH: Record<string, NthTest[]> = {
  'first-child': [{ a: 0, b: 1, fromEnd: false, ofType: false }],
  'last-child': [{ a: 0, b: 1, fromEnd: true, ofType: false }],
  'only-child': [{ a: 0, b: 1, fromEnd: false, ofType: false }, { a: 0, b: 1, fromEnd: true, ofType: false }],
  'first-of-type': [{ a: 0, b: 1, fromEnd: false, ofType: true }],
  'last-of-type': [{ a: 0, b: 1, fromEnd: true, ofType: true }],
  'only-of-type': [{ a: 0, b: 1, fromEnd: false, ofType: true }, { a: 0, b: 1, fromEnd: true, ofType: true }],
};
const NTH_FUNCTIONS: Record<string, { fromEnd: boolean; ofType: boolean }> = {
  'nth-child': { fromEnd: false, ofType: false },
  'nth-last-child': { fromEnd: true, ofType: false },
  'nth-of-type': { fromEnd: false, ofType: true },
  'nth-last-of-type': { fromEnd: true, ofType: true },
};

/** Adds one pseudo-class to `compound`; false when it is not one evaluated here. */
function addPseudoClass(compound: Compound, name: string, argument: string | undefined, inNot: boolean): boolean {
  const fixed = FIXED_NTH[name];
  if (fixed && argument === undefined) compound.nth.push(...fixed);
  else if (NTH_FUNCTIONS[name] && argument !== undefined) {
    const nth = parseNth(argument);
    if (!nth) return false;
    compound.nth.push({ ...nth, ...NTH_FUNCTIONS[name] });
  } else if (name === 'not' && argument !== undefined && !inNot) {
    // Selectors 3 §6.6.7 allows one simple selector; one compound (Selectors 4) is as cheap to evaluate.
    const inner = argument.trim() ? parseCompound(argument.trim(), true) : null;
    if (inner === null || inner === 'dormant') return false;
    compound.not.push(inner);
    compound.specificity += inner.specificity;
    return true;
  } else return false;
  compound.specificity += 100;
  return true;
}

/** One compound ("div.a#b[x=y]:first-child"), or null when it uses anything else (or a dormant state: `dormant`). */
function parseCompound(text: string, inNot = false): Compound | null | 'dormant' {
  const compound: Compound = { tag: undefined, id: undefined, classes: [], attributes: [], nth: [], not: [], specificity: 0 };
  const re = /([a-z][\w-]*|\*)|\.([\w-]+)|#([\w-]+)|\[\s*([\w:-]+)\s*(?:=\s*("[^"]*"|'[^']*'|[\w-]+)\s*)?\]|(::?[\w-]+)(?:\(((?:[^()]|\([^()]*\))*)\))?/iy;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    i = re.lastIndex;
    if (m[1] !== undefined) {
      if (i !== m[0].length) return null;
      if (m[1] !== '*') {
        compound.tag = m[1].toLowerCase();
        compound.specificity += 1;
      }
    } else if (m[2] !== undefined) compound.classes.push(m[2]);
    else if (m[3] !== undefined) compound.id = m[3];
    else if (m[4] !== undefined) compound.attributes.push({ name: m[4].toLowerCase(), ...(m[5] !== undefined ? { value: unquote(m[5]) } : {}) });
    else {
      const pseudo = m[6].toLowerCase();
      // A dormant state inside :not() would be true at rest: not evaluated rather than turned around.
      if (DORMANT_PSEUDO_CLASSES.test(pseudo) || pseudo.startsWith('::')) return inNot ? null : 'dormant';
      if (!addPseudoClass(compound, pseudo.slice(1), m[7], inNot)) return null;
    }
  }
  compound.specificity += (compound.id ? 10_000 : 0) + (compound.classes.length + compound.attributes.length) * 100;
  return compound;
}

/**
 * Splits a complex selector into compounds and combinators (Selectors 3 §5, §8): white space is a descendant
 * combinator unless it surrounds ">", "+" or "~"; parentheses, brackets and quotes keep their content together.
 */
function splitComplex(text: string): { compounds: string[]; combinators: Combinator[] } | null {
  const compounds: string[] = [];
  const combinators: Combinator[] = [];
  let pending: Combinator | undefined;
  let start = -1;
  let depth = 0;
  let quote = '';
  const flush = (end: number): boolean => {
    if (start < 0) return true;
    if (compounds.length) combinators.push(pending ?? ' ');
    compounds.push(text.slice(start, end));
    start = -1;
    pending = undefined;
    return compounds.length <= MAX_COMPOUNDS;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (depth > 0 || !/[\s>+~]/.test(c)) {
      if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      if (depth < 0) return null;
      if (start < 0) start = i;
      continue;
    }
    if (!flush(i)) return null;
    if (c === '>' || c === '+' || c === '~') {
      if (!compounds.length || (pending !== undefined && pending !== ' ')) return null;
      pending = c;
    } else if (compounds.length && pending === undefined) pending = ' ';
  }
  if (quote || depth !== 0 || !flush(text.length)) return null;
  if (!compounds.length || (pending !== undefined && pending !== ' ')) return null;
  return { compounds, combinators };
}

/** A complex selector, or null / 'dormant' as for compounds. */
export function parseSelector(text: string): Selector | null | 'dormant' {
  const split = splitComplex(text);
  if (!split) return null;
  const { compounds, combinators } = split;
  const parts: Selector['parts'] = [];
  let specificity = 0;
  let structural = false;
  for (let i = compounds.length - 1; i >= 0; i--) {
    const compound = parseCompound(compounds[i]);
    if (compound === null || compound === 'dormant') return compound;
    const combinator = i > 0 ? combinators[i - 1] : ' ';
    parts.push({ compound, combinator });
    specificity += compound.specificity;
    structural ||= combinator === '+' || combinator === '~' || compound.nth.length > 0 || compound.not.some((n) => n.nth.length > 0);
  }
  return { parts, specificity, structural };
}
