/**
 * Which style rules apply to an element (Selectors 3 §§5-8), evaluated as the document is walked: ancestors and
 * earlier siblings are complete when an element opens, so whether a selector's left part matches an element never
 * changes afterwards and is remembered on it. With that, descendant and general-sibling combinators cost one step
 * per element and rule part, not a scan of all ancestors or earlier siblings per subject, and backtracking over
 * several candidates stays linear. A step budget bounds the whole document.
 */
import { MAX_COMPOUNDS, nthMatches, type Compound } from './cssSelectors';
import type { StyleRule } from './cssRules';
import type { SiblingPosition } from './htmlStructure';

/** Selector-matching steps allowed for one document; beyond, the result is marked incomplete. */
export const MAX_MATCH_STEPS = 2_000_000;

export interface MatchElement {
  tag: string;
  attributes: Map<string, string>;
  id?: string;
  classes: string[];
  parent?: MatchElement;
  /** The previous element sibling. */
  previous?: MatchElement;
  /** Undefined when the sibling positions of this element are not known (htmlStructure.ts). */
  position?: SiblingPosition;
  /** Whether `previous` is the previous element sibling a browser sees. */
  siblingsKnown?: boolean;
}

/** What a remembered result is about: parts k.. matching the element itself, an ancestor, or an earlier sibling. */
const Kind = { Suffix: 0, AnyAncestor: 1, AnyPrevious: 2 } as const;
type BeforeKind = typeof Kind.AnyAncestor | typeof Kind.AnyPrevious;

function subjectKey(c: Compound): string {
  if (c.id) return `#${c.id}`;
  if (c.classes.length) return `.${c.classes[0]}`;
  if (c.attributes.length) return `[${c.attributes[0].name}`;
  return c.tag ?? '*';
}

/** True, false, or undefined when it depends on a sibling position that is not known. */
function compoundMatches(c: Compound, e: MatchElement): boolean | undefined {
  if (c.tag && c.tag !== e.tag) return false;
  if (c.id && c.id !== e.id) return false;
  for (let i = 0; i < c.classes.length; i++) if (!e.classes.includes(c.classes[i])) return false;
  for (let i = 0; i < c.attributes.length; i++) {
    const a = c.attributes[i];
    if (!e.attributes.has(a.name) || (a.value !== undefined && e.attributes.get(a.name) !== a.value)) return false;
  }
  for (let i = 0; i < c.not.length; i++) {
    const inner = compoundMatches(c.not[i], e);
    if (inner !== false) return inner === undefined ? undefined : false;
  }
  if (!c.nth.length) return true;
  const p = e.position;
  if (!p) return undefined;
  for (let i = 0; i < c.nth.length; i++) {
    const n = c.nth[i];
    if (!nthMatches(n.a, n.b, n.ofType ? (n.fromEnd ? p.typeFromEnd : p.typeIndex) : n.fromEnd ? p.fromEnd : p.index)) return false;
  }
  return true;
}

export class Matcher {
  private readonly index = new Map<string, number[]>();
  /** Remembered results by rule, part and kind (memoKey), then element: few maps, however many elements. */
  private readonly memo = new Map<number, Map<MatchElement, boolean>>();
  steps = 0;
  /** Set when a rule could not be judged for some element (its sibling positions are not known). */
  unjudged = false;

  constructor(private readonly rules: readonly StyleRule[]) {
    rules.forEach((rule, i) => {
      const key = subjectKey(rule.selector.parts[0].compound);
      const list = this.index.get(key) ?? [];
      list.push(i);
      this.index.set(key, list);
    });
  }

  get exhausted(): boolean {
    return this.steps > MAX_MATCH_STEPS;
  }

  /** The rules matching `e`, whose parent, previous sibling and position are set, in no particular order. */
  matching(e: MatchElement): StyleRule[] {
    const keys = ['*', e.tag, ...(e.id ? [`#${e.id}`] : []), ...e.classes.map((k) => `.${k}`), ...[...e.attributes.keys()].map((n) => `[${n}`)];
    const out: StyleRule[] = [];
    for (const key of new Set(keys)) {
      for (const r of this.index.get(key) ?? []) {
        if (this.exhausted) return out;
        if (this.suffix(r, 0, e)) out.push(this.rules[r]);
      }
    }
    return out;
  }

  private judge(result: boolean | undefined): boolean {
    if (result === undefined) this.unjudged = true;
    return result === true;
  }

  /** Whether parts k.. of rule r's selector match with `e` as part k. Remembered for k > 0. */
  private suffix(r: number, k: number, e: MatchElement): boolean {
    const key = (r * MAX_COMPOUNDS + k) * 3 + Kind.Suffix;
    const remembered = k > 0 ? this.remembered(key) : undefined;
    const known = remembered?.get(e);
    if (known !== undefined) return known;
    this.steps++;
    const parts = this.rules[r].selector.parts;
    const own = this.judge(compoundMatches(parts[k].compound, e));
    // A compound alone is cheap to test again: only results that looked further left are worth remembering.
    if (!own || k + 1 === parts.length) return own;
    const combinator = parts[k].combinator;
    let result: boolean;
    if (combinator === '>') result = !!e.parent && this.suffix(r, k + 1, e.parent);
    else if (combinator === ' ') result = this.anyBefore(r, k + 1, e, Kind.AnyAncestor);
    else if (!e.siblingsKnown) result = this.judge(undefined);
    else if (combinator === '+') result = !!e.previous && this.suffix(r, k + 1, e.previous);
    else result = this.anyBefore(r, k + 1, e, Kind.AnyPrevious);
    remembered?.set(e, result);
    return result;
  }

  /**
   * Whether some ancestor (AnyAncestor) or earlier sibling (AnyPrevious) of `e` matches parts k.. of rule r. Walks
   * back only to the nearest element that already knows the answer, then tells it to every element passed.
   */
  private anyBefore(r: number, k: number, e: MatchElement, kind: BeforeKind): boolean {
    const key = (r * MAX_COMPOUNDS + k) * 3 + kind;
    const remembered = this.remembered(key);
    const passed: MatchElement[] = [];
    let result = false;
    for (let x: MatchElement | undefined = e; x; ) {
      const known = remembered.get(x);
      if (known !== undefined) {
        result = known;
        break;
      }
      passed.push(x);
      const next: MatchElement | undefined = kind === Kind.AnyAncestor ? x.parent : x.previous;
      this.steps++;
      if (next && this.suffix(r, k, next)) {
        result = true;
        break;
      }
      x = next;
    }
    for (const x of passed) remembered.set(x, result);
    return result;
  }

  private remembered(key: number): Map<MatchElement, boolean> {
    let map = this.memo.get(key);
    if (!map) this.memo.set(key, (map = new Map()));
    return map;
  }
}
