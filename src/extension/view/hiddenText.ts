/**
 * Text an HTML part carries but does not show: under display:none or the hidden attribute, visibility:hidden,
 * opacity near 0, a font size under 2px, a colour the same as its background (white on white) or transparent,
 * a box of zero height or width that clips its overflow, or pushed far off-screen. A signature covers such
 * text as much as the visible text, so the reader is told how much of it there is (the published signature-spoofing
 * studies hide or reveal text with exactly these properties).
 *
 * Pure and linear: one walk over the document (htmlWalk.ts; recorded and replayed when a rule needs sibling
 * positions, htmlStructure.ts), style rules indexed by their subject, and a budget on selector matching
 * (selectorMatch.ts).
 * What it cannot evaluate (a selector it does not parse, sibling positions the HTML parser may have rebuilt, the
 * budget, very deep nesting) makes the result `complete: false`, which the view shows: an unknown is never reported
 * as "no hidden text".
 */
import { parseStyleSheet, type ParsedStyles, type StyleRule } from './cssRules';
import { cascade, computeStyle, hidingOf, NOT_RENDERED, ROOT_STYLE, type Computed, type HidingKind } from './hiddenStyle';
import { BodyTracker, walkStructure, type Placement } from './htmlStructure';
import { walkHtml, type WalkHandler } from './htmlWalk';
import { Matcher, type MatchElement } from './selectorMatch';

export type { HidingKind } from './hiddenStyle';

export interface HiddenTextReport {
  /** Runs of hidden text (a run ends at the next visible text). */
  passages: number;
  /** Hidden characters, white space not counted. */
  characters: number;
  kinds: HidingKind[];
  /** False when part of the document could not be evaluated: the counts are then a lower bound. */
  complete: boolean;
}

export { MAX_MATCH_STEPS } from './selectorMatch';

interface Element extends MatchElement {
  style: Computed;
  /** The last element child opened so far: the previous sibling of the next one. */
  lastChild?: Element;
}

/** True when the rule names body, or html anywhere but as its subject (whose children differ without a body). */
function needsBrowserBody(rule: StyleRule): boolean {
  return rule.selector.parts.some(({ compound }, i) => [compound, ...compound.not].some((c) => c.tag === 'body' || (i > 0 && c.tag === 'html')));
}

/** Attributes that give an element style of its own (style="", presentational hints: hiddenStyle.ts). */
const PER_ELEMENT_STYLE = ['style', 'hidden', 'bgcolor', 'color', 'text'];

/** The rules of every <style> element, wherever it is (a style sheet applies to the whole document). */
function styleSheetsOf(html: string): ParsedStyles {
  const styles: ParsedStyles = { rules: [], notUnderstood: 0 };
  const lower = html.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  for (let open = lower.indexOf('<style'); open >= 0; open = lower.indexOf('<style', open + 1)) {
    const after = lower[open + 6];
    if (after !== '>' && after !== '/' && !/\s/.test(after ?? '')) continue;
    const start = lower.indexOf('>', open);
    if (start < 0) break;
    const close = lower.indexOf('</style', start);
    const end = close < 0 ? html.length : close;
    parseStyleSheet(html.slice(start + 1, end), styles);
    open = end;
  }
  return styles;
}

export interface TextRun {
  text: string;
  /** Why the text is not seen; undefined when it is. */
  hiddenBy?: HidingKind;
}

/** Every rendered text of `html` with why it is hidden, if it is; `complete` as in HiddenTextReport. */
export function classifyText(html: string): { runs: TextRun[]; complete: boolean } {
  const styles = styleSheetsOf(html);
  const matcher = new Matcher(styles.rules);
  // Sibling positions need the whole tree before the first element is styled: when some rule needs them, the
  // document is walked once for them and the recorded walk is replayed for the styles.
  const structure = styles.rules.some((r) => r.selector.structural) ? walkStructure(html) : undefined;
  const positions: Placement[] = structure?.placements ?? [];
  let opened = 0;
  const body = new BodyTracker();
  const styleCache = new Map<Computed, Map<string, Computed>>();
  const top: { lastChild?: Element } = {};
  let complete = styles.notUnderstood === 0;
  let rootPx = 16;
  const runs: TextRun[] = [];
  const handler: WalkHandler<Element> = {
    open: (tag, attributes, parents) => {
      const container: { lastChild?: Element } = parents[parents.length - 1] ?? top;
      body.open(tag, parents[parents.length - 1]?.tag, !parents.length);
      const e: Element = {
        tag, attributes, id: attributes.get('id'), classes: (attributes.get('class') ?? '').split(/\s+/).filter(Boolean), style: ROOT_STYLE,
        parent: parents[parents.length - 1], previous: container.lastChild, lastChild: undefined,
        // Every element gets the same properties in the same order: matching reads them for every rule it tries.
        position: positions[opened]?.position, siblingsKnown: positions[opened++]?.siblingsKnown ?? false,
      };
      container.lastChild = e;
      const parent = parents[parents.length - 1]?.style ?? ROOT_STYLE;
      const rules = matcher.matching(e);
      // Most elements of a message have no style of their own: they take their parent's as it is.
      if (!rules.length && !attributes.size && !NOT_RENDERED.has(tag)) e.style = parent;
      else if (PER_ELEMENT_STYLE.some((n) => attributes.has(n)) || tag === 'html' || tag === 'body' || tag === 'font') {
        e.style = computeStyle(tag, parent, cascade(e, rules), rootPx, () => (complete = false));
      } else {
        // Otherwise the style follows from the parent's, the matching rules and whether the element renders: siblings
        // alike share one (a list of 50,000 items is styled a few times, not 50,000 times).
        const key = `${rootPx} ${NOT_RENDERED.has(tag)} ${rules.map((r) => r.order).sort((a, b) => a - b).join(',')}`;
        const shared = styleCache.get(parent) ?? new Map<string, Computed>();
        styleCache.set(parent, shared);
        e.style = shared.get(key) ?? computeStyle(tag, parent, cascade(e, rules), rootPx, () => (complete = false));
        shared.set(key, e.style);
      }
      if (tag === 'html') rootPx = e.style.fontPx;
      return e;
    },
    text: (text, parents, raw) => {
      const element = parents[parents.length - 1];
      const style = element?.style ?? ROOT_STYLE;
      if (style.notRendered || (raw && !['textarea', 'xmp', 'plaintext'].includes(element?.tag ?? ''))) return;
      if (!/\S/.test(text)) return;
      const hiddenBy = hidingOf(style);
      runs.push(hiddenBy ? { text, hiddenBy } : { text });
    },
  };
  const walked = structure ? structure.replay(handler) : walkHtml(html, handler);
  // Without the one body a browser has, a rule about body (or about what html contains) is judged on another tree.
  if (!body.bodyKnown && styles.rules.some(needsBrowserBody)) complete = false;
  return { runs, complete: complete && walked && !matcher.exhausted && !matcher.unjudged };
}

/** Counts the text of `html` (a whole document, e.g. the sanitized frame document) that is not shown. */
export function findHiddenText(html: string): HiddenTextReport {
  const { runs, complete } = classifyText(html);
  const kinds = new Set<HidingKind>();
  let passages = 0;
  let characters = 0;
  let inHiddenRun = false;
  for (const run of runs) {
    if (!run.hiddenBy) {
      inHiddenRun = false;
      continue;
    }
    kinds.add(run.hiddenBy);
    characters += run.text.replace(/\s+/g, '').length;
    if (!inHiddenRun) passages++;
    inHiddenRun = true;
  }
  return { passages, characters, kinds: [...kinds], complete };
}
