/**
 * The computed style hidden-text detection needs for one element (CSS Cascade 4 §6, reduced to the watched
 * properties): presentational hints, then rules by importance, specificity and order, then the style attribute;
 * inheritance of colour, size, visibility and opacity; and why text drawn with it would not be seen.
 */
import { colorInShorthand, composite, contrastRatio, fontSizeInShorthand, fontSizePx, lengthPx, parseColor, BLACK, WHITE, type Rgba } from './cssValues';
import { parseDeclarations, WATCHED_PROPERTIES, type Declaration, type StyleRule } from './cssRules';

/** What cascade() needs of an element. */
export interface StyledElement {
  tag: string;
  attributes: Map<string, string>;
}

export type HidingKind = 'display' | 'visibility' | 'opacity' | 'font-size' | 'same-colour' | 'transparent' | 'clipped' | 'off-screen';

/** Text at most this far from its background (WCAG contrast ratio) cannot be told apart from it. */
export const MIN_VISIBLE_CONTRAST = 1.1;
/** Opacity below which text is not seen. */
export const MIN_VISIBLE_OPACITY = 0.1;
/** Font size (px) below which text is not read. */
export const MIN_VISIBLE_FONT_PX = 2;
/** An offset (px) this far left or up puts content outside the frame. */
export const OFF_SCREEN_PX = -1000;
/** Declaration values longer than this are not evaluated (and mark the result incomplete if they matter). */
const MAX_VALUE_LENGTH = 256;

/** Elements browsers never render (their text is not message content a reader is expected to see). */
export const NOT_RENDERED = new Set(['head', 'title', 'script', 'style', 'template', 'iframe', 'noembed', 'noframes', 'datalist', 'param']);

export interface Computed {
  hiddenBy?: HidingKind;
  opacity: number;
  visible: boolean;
  fontPx: number;
  color: Rgba;
  fill?: Rgba;
  backdrop: Rgba;
  /** False below a background image or gradient: the colour behind the text is not known. */
  backdropKnown: boolean;
  offScreenIndent: boolean;
  notRendered: boolean;
  /** hidingOf(this), once worked out (styles are shared by every text of an element). */
  hiding?: HidingKind | null;
}

export const ROOT_STYLE: Computed = { opacity: 1, visible: true, fontPx: 16, color: BLACK, backdrop: WHITE, backdropKnown: true, offScreenIndent: false, notRendered: false };

/** HTML's presentational attributes (HTML §15.3), lowest in the cascade, and the hidden attribute. */
function presentationalHints(e: StyledElement): Declaration[] {
  const hints: Declaration[] = [];
  const add = (property: string, value: string | undefined) => value !== undefined && hints.push({ property, value, important: false });
  if (e.attributes.has('hidden')) add('display', 'none');
  if (e.tag === 'font') add('color', e.attributes.get('color'));
  if (e.tag === 'body') add('color', e.attributes.get('text'));
  add('background-color', e.attributes.get('bgcolor'));
  return hints;
}

/** The winning declaration of each watched property: hints, then rules by importance, specificity and order, then style="". */
export function cascade(e: StyledElement, rules: StyleRule[]): Map<string, string> {
  const inline = parseDeclarations(e.attributes.get('style') ?? '').filter((d) => WATCHED_PROPERTIES.has(d.property));
  const ranked = [
    ...presentationalHints(e).map((d) => ({ d, rank: [0, -1, -1] })),
    ...rules.flatMap((r) => r.declarations.map((d) => ({ d, rank: [d.important ? 2 : 1, r.selector.specificity, r.order] }))),
    ...inline.map((d, i) => ({ d, rank: [d.important ? 3 : 1, Number.MAX_SAFE_INTEGER, i] })),
  ];
  ranked.sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2]);
  const winners = new Map<string, string>();
  for (const { d } of ranked) winners.set(d.property, d.value);
  return winners;
}

function offsetPx(value: string | undefined, fontPx: number): number {
  return value === undefined ? 0 : (lengthPx(value, fontPx, 16) ?? 0);
}

function isZero(value: string | undefined, fontPx: number): boolean {
  return value !== undefined && lengthPx(value, fontPx, 16) === 0;
}

/** The computed style that matters, from the parent's and the winning declarations. */
export function computeStyle(tag: string, parent: Computed, p: Map<string, string>, rootPx: number, unknown: () => void): Computed {
  for (const [property, value] of p) {
    if (value.length > MAX_VALUE_LENGTH) {
      unknown();
      p.delete(property);
    }
  }
  const inherit = (v: string | undefined) => (v === undefined || /^(inherit|unset)$/i.test(v) ? undefined : v);
  const style: Computed = { ...parent, hiding: undefined, notRendered: parent.notRendered || NOT_RENDERED.has(tag) };
  const size = inherit(p.get('font-size'));
  const font = inherit(p.get('font'));
  style.fontPx = (size !== undefined ? fontSizePx(size, parent.fontPx, rootPx) : undefined) ?? (font !== undefined ? fontSizeInShorthand(font, parent.fontPx, rootPx) : undefined) ?? parent.fontPx;
  const color = inherit(p.get('color'));
  if (color !== undefined) style.color = parseColor(color, parent.color) ?? parent.color;
  const fill = inherit(p.get('-webkit-text-fill-color'));
  if (fill !== undefined) style.fill = parseColor(fill, style.color);
  const background = p.get('background-color') ?? p.get('background');
  if (background !== undefined) {
    if (/url\(|gradient\(|image-set|element\(/i.test(background)) style.backdropKnown = false;
    const bg = colorInShorthand(background);
    if (bg && bg.a > 0) style.backdrop = composite(bg, parent.backdrop);
  }
  const opacity = p.get('opacity');
  if (opacity !== undefined) {
    const v = opacity.trim().endsWith('%') ? parseFloat(opacity) / 100 : parseFloat(opacity);
    if (Number.isFinite(v)) style.opacity = parent.opacity * Math.max(0, Math.min(1, v));
  }
  const visibility = p.get('visibility')?.trim().toLowerCase();
  if (visibility === 'hidden' || visibility === 'collapse') style.visible = false;
  else if (visibility === 'visible') style.visible = true;
  const indent = p.get('text-indent');
  if (indent !== undefined) style.offScreenIndent = offsetPx(indent, style.fontPx) <= OFF_SCREEN_PX;
  if (style.hiddenBy) return style;
  const overflow = [p.get('overflow'), p.get('overflow-x'), p.get('overflow-y')].some((v) => v !== undefined && /^(hidden|clip)\b/i.test(v.trim()));
  const position = p.get('position')?.trim().toLowerCase();
  const clip = p.get('clip')?.replace(/\s+/g, '');
  if (p.get('display')?.trim().toLowerCase() === 'none') style.hiddenBy = 'display';
  else if (overflow && ['height', 'max-height', 'width', 'max-width'].some((k) => isZero(p.get(k), style.fontPx))) style.hiddenBy = 'clipped';
  else if (/scale[xy]?\(0(?:\.0+)?[,)]/i.test(p.get('transform')?.replace(/\s+/g, '') ?? '')) style.hiddenBy = 'clipped';
  else if ((position === 'absolute' || position === 'fixed') && clip !== undefined && /^rect\((?:[01](?:px)?,?){4}\)$/i.test(clip)) style.hiddenBy = 'clipped';
  else if ((position === 'absolute' || position === 'fixed' || position === 'relative') && Math.min(offsetPx(p.get('left'), style.fontPx), offsetPx(p.get('top'), style.fontPx)) <= OFF_SCREEN_PX) style.hiddenBy = 'off-screen';
  return style;
}

/** Why text drawn with `style` is not seen, or undefined when it is. */
export function hidingOf(style: Computed): HidingKind | undefined {
  style.hiding ??= workOutHiding(style) ?? null;
  return style.hiding ?? undefined;
}

function workOutHiding(style: Computed): HidingKind | undefined {
  if (style.hiddenBy) return style.hiddenBy;
  if (!style.visible) return 'visibility';
  if (style.opacity < MIN_VISIBLE_OPACITY) return 'opacity';
  if (style.fontPx < MIN_VISIBLE_FONT_PX) return 'font-size';
  if (style.offScreenIndent) return 'off-screen';
  const ink = style.fill ?? style.color;
  if (ink.a < MIN_VISIBLE_OPACITY) return 'transparent';
  if (style.backdropKnown && contrastRatio(composite(ink, style.backdrop), style.backdrop) < MIN_VISIBLE_CONTRAST) return 'same-colour';
  return undefined;
}
