/**
 * A forgiving, linear walk over HTML: start tags with their attributes, end tags and text, in document order,
 * with the HTML tree-construction rules that matter for which element a text belongs to (WHATWG HTML §13.2.6):
 * void elements, raw-text elements, and the implied end tags of p, li, dt/dd, option, tr and td/th. Comments,
 * doctypes and processing instructions are skipped.
 */
import { decodeEntities, parseAttributes, tagEnd } from './htmlSanitizer';

/** Elements that never have content (HTML §13.1.2). */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param', 'keygen', 'frame']);
/** Elements whose content is text up to their end tag, never markup. */
export const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes', 'template', 'plaintext']);
/** Start tags that close an open p (HTML §13.2.6.4.7 "close a p element"). */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'ul', 'li', 'dd', 'dt', 'listing', 'xmp',
]);
/** Start tags that close an open element of the same group (the nearest, when nothing in between ends the scope). */
const CLOSES_SIBLING: Record<string, string[]> = {
  li: ['li'], dd: ['dd', 'dt'], dt: ['dd', 'dt'], option: ['option'], tr: ['tr', 'td', 'th'], td: ['td', 'th'], th: ['td', 'th'],
};
/** How far up an implied end tag looks; deeper than this the element is left open (and the text counted under it). */
const IMPLIED_END_SEARCH = 8;

export interface WalkElement {
  tag: string;
  attributes: Map<string, string>;
}

export interface WalkHandler<E extends WalkElement> {
  /** A start tag; returns the element to push (void elements are not pushed). */
  open(tag: string, attributes: Map<string, string>, parents: readonly E[]): E;
  /** Text inside the current element (entity references decoded); raw text for raw-text elements. */
  text(text: string, parents: readonly E[], raw: boolean): void;
  /**
   * Elements an end tag or an implied end (a start tag) closed at once, innermost first; the last is the one the
   * tag closes. A browser may build a different tree when there is more than one (htmlStructure.ts).
   */
  closed?(elements: readonly E[], cause: { tag: string; endTag: boolean }): void;
  /** An end tag with no open element of its name, or an implied end whose element is open beyond the search depth. */
  unmatched?(tag: string, parents: readonly E[], endTag: boolean): void;
}

/** Deepest nesting followed; browsers stop at a few hundred too. */
export const MAX_WALK_DEPTH = 256;

/** Walks `html`, keeping the stack of open elements; returns false when it had to stop nesting at MAX_WALK_DEPTH. */
export function walkHtml<E extends WalkElement>(html: string, handler: WalkHandler<E>): boolean {
  const stack: E[] = [];
  const openCount = new Map<string, number>();
  let complete = true;
  const push = (e: E) => {
    if (stack.length >= MAX_WALK_DEPTH) {
      complete = false;
      return;
    }
    stack.push(e);
    openCount.set(e.tag, (openCount.get(e.tag) ?? 0) + 1);
  };
  const popTo = (index: number): E[] => {
    const popped: E[] = [];
    while (stack.length > index) {
      const e = stack.pop() as E;
      popped.push(e);
      openCount.set(e.tag, (openCount.get(e.tag) ?? 1) - 1);
    }
    return popped;
  };
  /** Pops through the nearest open element among `tags` within the search depth (all of it for an end tag). */
  const closeNearest = (tags: string[], cause: string, endTag: boolean) => {
    if (!tags.some((t) => (openCount.get(t) ?? 0) > 0)) return;
    const lowest = endTag ? 0 : Math.max(0, stack.length - IMPLIED_END_SEARCH);
    for (let i = stack.length - 1; i >= lowest; i--) {
      if (tags.includes(stack[i].tag)) {
        // Popped first: an optional call would skip evaluating its arguments.
        const popped = popTo(i);
        handler.closed?.(popped, { tag: cause, endTag });
        return;
      }
    }
    handler.unmatched?.(cause, stack, endTag);
  };
  // ASCII-lowercased once (toLowerCase could change the length, e.g. for U+0130): raw-text elements look for
  // their end tag in it.
  const lower = html.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  const tagStart = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/y;
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) handler.text(decodeEntities(html.slice(textStart, end)), stack, false);
  };
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      flushText(lt);
      const end = html.indexOf('-->', lt + 4);
      i = textStart = end < 0 ? html.length : end + 3;
      continue;
    }
    tagStart.lastIndex = lt;
    const m = tagStart.exec(html);
    if (!m) {
      if (html[lt + 1] === '!' || html[lt + 1] === '?' || html[lt + 1] === '/') {
        flushText(lt);
        i = textStart = tagEnd(html, lt + 2);
      } else {
        // A "<" that starts no tag is text (and stays in the current text run).
        i = lt + 1;
      }
      continue;
    }
    flushText(lt);
    const tag = m[2].toLowerCase();
    const end = tagEnd(html, lt + m[0].length);
    i = textStart = end;
    if (m[1]) {
      // An end tag closes the nearest open element of its name (and everything opened inside it).
      if ((openCount.get(tag) ?? 0) > 0) closeNearest([tag], tag, true);
      else handler.unmatched?.(tag, stack, true);
      continue;
    }
    if (CLOSES_P.has(tag)) closeNearest(['p'], tag, false);
    const siblings = CLOSES_SIBLING[tag];
    if (siblings) closeNearest(siblings, tag, false);
    if (stack.length >= MAX_WALK_DEPTH && !VOID_ELEMENTS.has(tag)) {
      // Too deep to follow: its text counts under the deepest element followed.
      complete = false;
      continue;
    }
    const attributes = new Map(parseAttributes(html.slice(lt + m[0].length, end - 1)).reverse());
    const element = handler.open(tag, attributes, stack);
    if (VOID_ELEMENTS.has(tag)) continue;
    if (RAW_TEXT_ELEMENTS.has(tag)) {
      const close = lower.indexOf(`</${tag}`, end);
      const stop = close < 0 ? html.length : close;
      const depth = stack.length;
      push(element);
      handler.text(html.slice(end, stop), stack, true);
      popTo(depth);
      const gt = close < 0 ? -1 : html.indexOf('>', close);
      i = textStart = gt < 0 ? html.length : gt + 1;
      continue;
    }
    push(element);
  }
  flushText(html.length);
  return complete;
}
