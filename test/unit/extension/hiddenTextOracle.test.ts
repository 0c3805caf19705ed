/**
 * Hidden-text detection against an independent implementation: happy-dom's own CSS cascade (getComputedStyle)
 * on random documents of nested elements, style sheets (class, id, attribute, descendant and child selectors,
 * !important) and style attributes. For every text node, both must agree on whether it is seen. happy-dom
 * evaluates display, visibility, opacity, absolute font sizes and colours the way browsers do; relative font
 * sizes and presentational attributes, where it is incomplete, are covered by hiddenText.test.ts instead.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import { classifyText } from '../../../src/extension/view/hiddenText';

/** A small seeded generator (mulberry32), so a failure names a document that can be made again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COLOURS = ['#ffffff', '#000000', '#123456'];
const DECLARATIONS = [
  'display:none', 'display:block', 'visibility:hidden', 'visibility:visible', 'opacity:0', 'opacity:0.05', 'opacity:0.5',
  'font-size:0px', 'font-size:1px', 'font-size:12px', ...COLOURS.map((c) => `color:${c}`), ...COLOURS.map((c) => `background-color:${c}`),
];
const SELECTORS = ['.c1', '.c2', '.c3', '#i1', '#i2', 'div .c1', 'span.c2', '.c1 > span', '[data-k="v"]', 'div > b', 'p', 'b i'];
const TAGS = ['div', 'span', 'b', 'i', 'p'];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)];
}

function document(seed: number): string {
  const next = random(seed);
  // happy-dom lets an !important on a parent beat a child's own value of an inherited property (browsers do not:
  // importance does not inherit, CSS Cascade 4 §6.4), so only properties that are not inherited get !important.
  const rule = () => {
    const declaration = pick(next, DECLARATIONS);
    const important = /^(display|opacity|background)/.test(declaration) && next() < 0.3;
    return `${pick(next, SELECTORS)}{${declaration}${important ? ' !important' : ''}}`;
  };
  const rules = Array.from({ length: 1 + Math.floor(next() * 6) }, rule);
  let counter = 0;
  const element = (depth: number): string => {
    const tag = depth === 0 ? 'div' : pick(next, TAGS.filter((t) => t !== 'p'));
    const attributes = [
      next() < 0.5 ? ` class="${pick(next, ['c1', 'c2', 'c3', 'c1 c2'])}"` : '',
      next() < 0.15 ? ` id="${pick(next, ['i1', 'i2'])}"` : '',
      next() < 0.15 ? ' data-k="v"' : '',
      next() < 0.4 ? ` style="${pick(next, DECLARATIONS)}"` : '',
    ].join('');
    const children = depth < 3 ? Array.from({ length: Math.floor(next() * 3) }, () => element(depth + 1)) : [];
    return `<${tag}${attributes}>t${++counter} ${children.join('')}</${tag}>`;
  };
  const body = Array.from({ length: 3 }, () => element(0)).join('');
  return `<!DOCTYPE html><html><head><style>html{background:#fff;color:#000} ${rules.join(' ')}</style></head><body>${body}</body></html>`;
}

/** "#fff" and "#ffffff" alike (happy-dom returns colours as written). */
function hex6(colour: string): string {
  const c = colour.trim().toLowerCase();
  return /^#[0-9a-f]{3}$/.test(c) ? `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}` : c;
}

/** What happy-dom says about each text token: hidden or not. */
function oracle(html: string): Map<string, boolean> {
  const window = new Window();
  const doc = window.document;
  doc.write(html);
  const out = new Map<string, boolean>();
  const walker = doc.createTreeWalker(doc.body, 4);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const token = (node.textContent ?? '').trim();
    if (!token) continue;
    const parent = node.parentElement!;
    let opacity = 1;
    let displayed = true;
    let backdrop: string | undefined;
    for (let e: typeof parent | null = parent; e; e = e.parentElement) {
      const cs = window.getComputedStyle(e);
      if (cs.display === 'none') displayed = false;
      opacity *= cs.opacity === '' ? 1 : parseFloat(cs.opacity);
      const bg = cs.backgroundColor;
      if (backdrop === undefined && bg && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') backdrop = bg;
    }
    const own = window.getComputedStyle(parent);
    const colour = hex6(own.color);
    const hidden = !displayed || own.visibility === 'hidden' || opacity < 0.1 || parseFloat(own.fontSize) < 2 || colour === hex6(backdrop ?? '#fff');
    out.set(token, hidden);
  }
  window.close();
  return out;
}

function ours(html: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const run of classifyText(html).runs) out.set(run.text.trim(), run.hiddenBy !== undefined);
  return out;
}

describe('hidden text agrees with happy-dom\'s cascade', () => {
  test('150 random documents, every text node', () => {
    let hiddenSeen = 0;
    let compared = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const html = document(seed);
      const expected = oracle(html);
      const actual = ours(html);
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `seed ${seed}: the same text nodes`);
      for (const [token, hidden] of expected) {
        assert.equal(actual.get(token), hidden, `seed ${seed}, ${token} should be ${hidden ? 'hidden' : 'seen'}:\n${html}`);
        compared++;
        if (hidden) hiddenSeen++;
      }
    }
    // The generator must produce both outcomes in quantity, or the comparison proves little.
    assert.ok(hiddenSeen > compared / 5 && hiddenSeen < (compared * 4) / 5, `${hiddenSeen} hidden of ${compared}`);
  });
});
