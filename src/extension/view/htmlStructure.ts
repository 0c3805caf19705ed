/**
 * Where each element stands among its siblings, for the structural pseudo-classes and sibling combinators
 * (Selectors 3 §6.6.5, §8.3): its index among the element children of its parent and among those of its type,
 * counted from both ends. Linear: one walk, recorded so the styles can replay it, and counters per parent.
 *
 * htmlWalk.ts builds the tree a browser builds for well-formed mail, but not for every repair the HTML parser makes
 * (WHATWG HTML §13.2.6: implied html/head/body and table sections, foster parenting, reconstructed formatting
 * elements, the adoption agency). Sibling positions are exact or they are wrong, so every place where the two
 * trees may differ makes the positions of the affected children unknown (undefined), and a selector that needs
 * them is then reported as not judged instead of judged on a guess.
 */
import { RAW_TEXT_ELEMENTS, walkHtml, type WalkElement, type WalkHandler } from './htmlWalk';

export interface SiblingPosition {
  /** 1-based among the parent's element children, from the first and from the last. */
  index: number;
  fromEnd: number;
  /** The same among the children of the same element type. */
  typeIndex: number;
  typeFromEnd: number;
}

/** Elements whose children a browser rearranges: head; noscript is raw text when scripts could run. */
const REARRANGED_CHILDREN = new Set(['head', 'noscript']);
/** Elements a browser moves into head when they come before the body (HTML §13.2.6.4.6 "after head"). */
const HEAD_CONTENT = new Set(['style', 'meta', 'link', 'script', 'title', 'base', 'template']);
/** Elements the "generate implied end tags" step closes (HTML §13.2.6.3): closing them with their parent is what a browser does too. */
const IMPLIED_END = new Set(['dd', 'dt', 'li', 'optgroup', 'option', 'p', 'rb', 'rp', 'rt', 'rtc']);
/** End tags a browser handles by popping through the element when it is in scope (HTML §13.2.6.4.7), as the walker does. */
const BLOCK_END = new Set([
  'address', 'article', 'aside', 'blockquote', 'button', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption',
  'figure', 'footer', 'header', 'hgroup', 'listing', 'main', 'menu', 'nav', 'ol', 'pre', 'search', 'section', 'summary', 'ul',
  'p', 'li', 'dd', 'dt', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
]);
/** Formatting elements (HTML §13.2.4.3): closed implicitly, a browser re-creates them around later content. */
const FORMATTING = new Set(['a', 'b', 'big', 'code', 'em', 'font', 'i', 'nobr', 's', 'small', 'strike', 'strong', 'tt', 'u']);
/** HTML start tags that end SVG or MathML content (HTML §13.2.6.5). */
const FOREIGN_BREAKOUT = new Set([
  'b', 'big', 'blockquote', 'body', 'br', 'center', 'code', 'dd', 'div', 'dl', 'dt', 'em', 'embed', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'head', 'hr', 'i', 'img', 'li', 'listing', 'menu', 'meta', 'nobr', 'ol', 'p', 'pre', 'ruby', 's', 'small', 'span', 'strong',
  'strike', 'sub', 'sup', 'table', 'tt', 'u', 'ul', 'var', 'font',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const RUBY = new Set(['rb', 'rp', 'rt', 'rtc']);
/** Children a table part keeps as they are; `implied` ones get a wrapper a browser inserts (tbody, tr, colgroup). */
const TABLE_CHILDREN: Record<string, { kept: string[]; implied: string[] }> = {
  table: { kept: ['caption', 'colgroup', 'thead', 'tbody', 'tfoot', 'script', 'template', 'style'], implied: ['tr', 'td', 'th', 'col'] },
  thead: { kept: ['tr', 'script', 'template', 'style'], implied: ['td', 'th'] },
  tbody: { kept: ['tr', 'script', 'template', 'style'], implied: ['td', 'th'] },
  tfoot: { kept: ['tr', 'script', 'template', 'style'], implied: ['td', 'th'] },
  tr: { kept: ['td', 'th', 'script', 'template', 'style'], implied: [] },
};
/** Table parts and the parents they are kept under; anywhere else a browser drops the tag (HTML §13.2.6.4.7 "in body"). */
const TABLE_PART_PARENTS: Record<string, string[]> = {
  td: ['tr', 'tbody', 'thead', 'tfoot', 'table'], th: ['tr', 'tbody', 'thead', 'tfoot', 'table'], tr: ['tbody', 'thead', 'tfoot', 'table'],
  tbody: ['table'], thead: ['table'], tfoot: ['table'], caption: ['table'], colgroup: ['table'], col: ['colgroup', 'table'],
};
/** Tags a browser treats differently from the walker: void elements it does not know, and those it renames or never closes. */
const WALKED_OTHERWISE = new Set(['basefont', 'bgsound', 'image', 'plaintext']);
const ROOT = -1;

interface Node extends WalkElement {
  id: number;
  parent: number;
  foreign: boolean;
  select: boolean;
  /** Open a, nobr, button, form or p elements on the way up (a nested one makes a browser close the outer one). */
  nesting: Set<string>;
  /** The parent of the table this table part belongs to: where a browser puts misplaced content (foster parenting). */
  tableParent?: number;
}

const NESTING_CLOSES = ['a', 'nobr', 'button', 'form', 'p'];
/** Start tags that close an open p in a browser (HTML §13.2.6.4.7) and not in htmlWalk.ts. */
const CLOSES_P_TOO = new Set(['search']);

export interface Placement {
  /** Undefined when not known. */
  position?: SiblingPosition;
  /** Whether the element's earlier element siblings are those a browser has (for + and ~). */
  siblingsKnown: boolean;
}

/**
 * Whether the walker's body element is the body a browser has: exactly one, and no element outside it that a
 * browser would move into it (content before or after the body, or without any body at all, HTML §13.2.6.4.6).
 */
export class BodyTracker {
  private bodies = 0;
  private stray = false;

  open(tag: string, parentTag: string | undefined, atRoot: boolean): void {
    if ((atRoot || parentTag === 'html') && !['html', 'head', 'body'].includes(tag) && !(HEAD_CONTENT.has(tag) && this.bodies === 0)) this.stray = true;
    if (tag === 'body') this.bodies++;
  }

  get bodyKnown(): boolean {
    return this.bodies === 1 && !this.stray;
  }
}

/** A start tag or a text as the walk met it, with the depth of the open elements then. */
type Step = { tag: string; attributes: Map<string, string>; depth: number } | { text: string; raw: boolean; depth: number };

export interface WalkedStructure {
  /** Where each element stands among its siblings, in the order the walk opens them. */
  placements: Placement[];
  /** Gives `handler` the same walk again from what was recorded (no second parse); returns what walkHtml returned. */
  replay<E extends WalkElement>(handler: WalkHandler<E>): boolean;
}

/** Walks `html` once, working out sibling positions and recording the walk for replay(). */
export function walkStructure(html: string): WalkedStructure {
  const steps: Step[] = [];
  const parentOf: number[] = [];
  const tagOf: string[] = [];
  const uncertain = new Set<number>([ROOT]);
  let everywhere = false;
  /** A formatting element was closed implicitly: a browser may insert a copy wherever content comes next. */
  let reconstructing = false;
  const top = new BodyTracker();

  const walked = walkHtml<Node>(html, {
    open: (tag, attributes, parents) => {
      steps.push({ tag, attributes, depth: parents.length });
      const parent = parents[parents.length - 1];
      const pid = parent?.id ?? ROOT;
      const ptag = parent?.tag;
      const id = tagOf.length;
      tagOf.push(tag);
      parentOf.push(pid);
      if (reconstructing) uncertain.add(pid);
      const nesting = NESTING_CLOSES.includes(tag) ? new Set([...(parent?.nesting ?? []), tag]) : (parent?.nesting ?? new Set<string>());
      const node: Node = { tag, attributes, id, parent: pid, foreign: !!parent?.foreign || tag === 'svg' || tag === 'math', select: !!parent?.select || tag === 'select', nesting };
      top.open(tag, ptag, pid === ROOT);
      const misplacedTop = (tag === 'html' && pid !== ROOT && ptag !== 'html') || ((tag === 'head' || tag === 'body') && ptag !== 'html');
      // In SVG and MathML, HTML tags end the foreign content and "raw text" tags are ordinary elements (HTML §13.2.6.5).
      const foreignBreakout = !!parent?.foreign && (FOREIGN_BREAKOUT.has(tag) || RAW_TEXT_ELEMENTS.has(tag));
      const droppedTablePart = TABLE_PART_PARENTS[tag] !== undefined && !TABLE_PART_PARENTS[tag].includes(ptag ?? '');
      const selectRepair = !!parent?.select && (!['option', 'optgroup', 'hr'].includes(tag) || (tag === 'optgroup' && ptag !== 'select'));
      const nestedClose = NESTING_CLOSES.includes(tag) && tag !== 'p' && !!parent?.nesting.has(tag);
      const stacked = (HEADINGS.has(tag) && HEADINGS.has(ptag ?? '')) || (RUBY.has(tag) && RUBY.has(ptag ?? '')) || (tag === 'optgroup' && ptag === 'option');
      const closesP = CLOSES_P_TOO.has(tag) && !!parent?.nesting.has('p');
      if (misplacedTop || foreignBreakout || droppedTablePart || selectRepair || nestedClose || closesP || stacked || WALKED_OTHERWISE.has(tag)) everywhere = true;
      const table = ptag === undefined ? undefined : TABLE_CHILDREN[ptag];
      if (table && !table.kept.includes(tag)) {
        uncertain.add(pid);
        // Anything else is moved in front of the table (HTML §13.2.6.1 "foster parenting").
        if (!table.implied.includes(tag)) uncertain.add(parent?.tableParent ?? ROOT);
      } else if (ptag === 'colgroup' && tag !== 'col' && tag !== 'template') everywhere = true;
      if (tag === 'table') node.tableParent = pid;
      else if (table) node.tableParent = parent?.tableParent;
      return node;
    },
    text: (text, parents, raw) => {
      steps.push({ text, raw, depth: parents.length });
      if (reconstructing) uncertain.add(parents[parents.length - 1]?.id ?? ROOT);
    },
    closed: (elements, cause) => {
      if (elements.length < 2) return;
      const target = elements[elements.length - 1];
      const inner = elements.slice(0, -1);
      // Closing open p, li, dd... with their parent is what a browser does too (HTML §13.2.6.3).
      if (inner.every((e) => IMPLIED_END.has(e.tag)) && (!cause.endTag || BLOCK_END.has(cause.tag))) return;
      uncertain.add(target.parent);
      for (const e of elements) uncertain.add(e.id);
      if (cause.endTag && FORMATTING.has(target.tag)) everywhere = true;
      if (inner.some((e) => FORMATTING.has(e.tag))) reconstructing = true;
    },
    unmatched: (tag, parents, endTag) => {
      // A stray </p> or </br> makes an element in a browser (HTML §13.2.6.4.7); an implied end too far up, who knows.
      if (!endTag) everywhere = true;
      else if (tag === 'p' || tag === 'br') uncertain.add(parents[parents.length - 1]?.id ?? ROOT);
    },
  });

  const index: number[] = [];
  const typeIndex: number[] = [];
  const children = new Map<number, number>();
  const ofType = new Map<string, number>();
  const htmlChildren = new Map<number, string[]>();
  for (let id = 0; id < tagOf.length; id++) {
    const pid = parentOf[id];
    index.push((children.get(pid) ?? 0) + 1);
    children.set(pid, index[id]);
    const key = `${pid} ${tagOf[id]}`;
    typeIndex.push((ofType.get(key) ?? 0) + 1);
    ofType.set(key, typeIndex[id]);
    if (pid !== ROOT && tagOf[pid] === 'html') htmlChildren.set(pid, [...(htmlChildren.get(pid) ?? []), tagOf[id]]);
  }
  const bodyKnown = top.bodyKnown;
  // A browser's html element has exactly a head and a body (HTML §13.2.6.4): known where the walker has just those.
  const headAndBody = (pid: number) => bodyKnown && htmlChildren.get(pid)?.join(' ') === 'head body';
  const placements = tagOf.map((tag, id): Placement => {
    const pid = parentOf[id];
    const ptag = pid === ROOT ? undefined : tagOf[pid];
    if (everywhere) return { siblingsKnown: false };
    // The root element has no element siblings; whether it is a "first child" differs between Selectors 3 and 4.
    if (pid === ROOT) return { siblingsKnown: tag === 'html' && index[id] === 1 && children.get(ROOT) === 1 };
    const known = !uncertain.has(pid) && (ptag === 'html' ? headAndBody(pid) : !REARRANGED_CHILDREN.has(ptag ?? '') && (ptag !== 'body' || bodyKnown));
    if (!known) return { siblingsKnown: false };
    const position = {
      index: index[id],
      fromEnd: (children.get(pid) as number) - index[id] + 1,
      typeIndex: typeIndex[id],
      typeFromEnd: (ofType.get(`${pid} ${tag}`) as number) - typeIndex[id] + 1,
    };
    return { position, siblingsKnown: true };
  });
  const replay = <E extends WalkElement>(handler: WalkHandler<E>): boolean => {
    const stack: E[] = [];
    for (const step of steps) {
      // The next step's depth says what the walk had closed (a void element is never pushed: it is cut here).
      stack.length = step.depth;
      if ('tag' in step) stack.push(handler.open(step.tag, step.attributes, stack));
      else handler.text(step.text, stack, step.raw);
    }
    return walked;
  };
  return { placements, replay };
}
