/**
 * The few CSS values hidden-text detection needs: colours (CSS Color 4: hex, rgb(), hsl(), the common names,
 * transparent) and font sizes in px (CSS Values 4 absolute and relative units). Inputs are short declaration
 * values from message HTML; every regex here is anchored and has no nested quantifiers.
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0 (transparent) to 1 (opaque). */
  a: number;
}

export const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
export const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

/** Named colours (CSS Color 4 §6.1): the ones mail uses, and every light one (white-on-white is the trick to catch). */
const NAMED: Record<string, string> = {
  black: '000000', white: 'ffffff', red: 'ff0000', green: '008000', blue: '0000ff', yellow: 'ffff00', gray: '808080', grey: '808080',
  silver: 'c0c0c0', maroon: '800000', purple: '800080', fuchsia: 'ff00ff', magenta: 'ff00ff', lime: '00ff00', olive: '808000',
  navy: '000080', teal: '008080', aqua: '00ffff', cyan: '00ffff', orange: 'ffa500', whitesmoke: 'f5f5f5', snow: 'fffafa',
  ivory: 'fffff0', ghostwhite: 'f8f8ff', floralwhite: 'fffaf0', seashell: 'fff5ee', mintcream: 'f5fffa', azure: 'f0ffff',
  aliceblue: 'f0f8ff', linen: 'faf0e6', oldlace: 'fdf5e6', honeydew: 'f0fff0', lavenderblush: 'fff0f5', beige: 'f5f5dc',
  cornsilk: 'fff8dc', lightyellow: 'ffffe0', lightgray: 'd3d3d3', lightgrey: 'd3d3d3', gainsboro: 'dcdcdc', darkgray: 'a9a9a9',
  darkgrey: 'a9a9a9', lemonchiffon: 'fffacd', papayawhip: 'ffefd5', blanchedalmond: 'ffebcd', mistyrose: 'ffe4e1',
  antiquewhite: 'faebd7', lavender: 'e6e6fa', lightcyan: 'e0ffff', lightgoldenrodyellow: 'fafad2', wheat: 'f5deb3',
};

function clampByte(n: number): number {
  return Math.max(0, Math.min(255, Math.round(n)));
}

function hex(digits: string): Rgba | undefined {
  const d = digits.length <= 4 ? digits.replace(/./g, (c) => c + c) : digits;
  if (d.length !== 6 && d.length !== 8) return undefined;
  const n = (i: number) => parseInt(d.slice(i, i + 2), 16);
  return { r: n(0), g: n(2), b: n(4), a: d.length === 8 ? n(6) / 255 : 1 };
}

/** A channel of rgb(): a number 0-255 or a percentage. */
function channel(text: string): number {
  return text.endsWith('%') ? clampByte((parseFloat(text) * 255) / 100) : clampByte(parseFloat(text));
}

function alpha(text: string | undefined): number {
  if (text === undefined) return 1;
  const v = text.endsWith('%') ? parseFloat(text) / 100 : parseFloat(text);
  return Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 1;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [f(0) * 255, f(8) * 255, f(4) * 255];
}

/** The arguments of rgb()/hsl(), with commas or spaces, and the alpha after "/" or a fourth comma. */
function functionArgs(inner: string): { parts: string[]; alpha?: string } | undefined {
  const [main, slash] = inner.split('/');
  const parts = main.split(/[\s,]+/).filter(Boolean);
  if (slash !== undefined) return parts.length === 3 ? { parts, alpha: slash.trim() } : undefined;
  if (parts.length === 4) return { parts: parts.slice(0, 3), alpha: parts[3] };
  return parts.length === 3 ? { parts } : undefined;
}

/** A colour value, or undefined for what this does not know (another keyword, a gradient, a var()). */
export function parseColor(value: string, current?: Rgba): Rgba | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  if (v === 'currentcolor') return current;
  const named = NAMED[v];
  if (named) return hex(named);
  if (/^#[0-9a-f]{3,8}$/.test(v)) return hex(v.slice(1));
  const fn = /^(rgba?|hsla?)\(([^()]*)\)$/.exec(v);
  if (!fn) return undefined;
  const args = functionArgs(fn[2]);
  if (!args || args.parts.some((p) => !Number.isFinite(parseFloat(p)))) return undefined;
  if (fn[1].startsWith('rgb')) {
    const [r, g, b] = args.parts.map(channel);
    return { r, g, b, a: alpha(args.alpha) };
  }
  const [h, s, l] = [parseFloat(args.parts[0]), parseFloat(args.parts[1]) / 100, parseFloat(args.parts[2]) / 100];
  const [r, g, b] = hslToRgb(((h % 360) + 360) % 360, Math.max(0, Math.min(1, s)), Math.max(0, Math.min(1, l)));
  return { r: clampByte(r), g: clampByte(g), b: clampByte(b), a: alpha(args.alpha) };
}

/** The first colour among the words of a shorthand ("background: #fff url(x) no-repeat"). */
export function colorInShorthand(value: string): Rgba | undefined {
  const tokens = value.match(/(?:rgba?|hsla?)\([^()]*\)|#[0-9a-fA-F]{3,8}\b|[a-zA-Z]+/g) ?? [];
  for (const token of tokens) {
    const c = parseColor(token);
    if (c) return c;
  }
  return undefined;
}

/** `top` painted over `bottom` (source-over). */
export function composite(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a + bottom.a * (1 - top.a);
  if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
  const mix = (t: number, b: number) => (t * top.a + b * bottom.a * (1 - top.a)) / a;
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
}

function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** The WCAG 2 contrast ratio of two opaque colours: 1 (the same) to 21 (black on white). */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

const ABSOLUTE_UNITS: Record<string, number> = { px: 1, pt: 4 / 3, pc: 16, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, q: 96 / 101.6 };
/** CSS Fonts 4 §2.5 absolute-size keywords at a 16px medium. */
const SIZE_KEYWORDS: Record<string, number> = {
  'xx-small': 9, 'x-small': 10, small: 13, medium: 16, large: 18, 'x-large': 24, 'xx-large': 32, 'xxx-large': 48,
};

/** A length in px, relative to `parentPx` (em, %) and `rootPx` (rem); undefined when not a plain length. */
export function lengthPx(value: string, parentPx: number, rootPx: number): number | undefined {
  const v = value.trim().toLowerCase();
  const m = /^(-?(?:\d+(?:\.\d*)?|\.\d+))(px|pt|pc|in|cm|mm|q|em|rem|ex|ch|%|vw|vh)?$/.exec(v);
  if (!m) return undefined;
  const n = parseFloat(m[1]);
  const unit = m[2] ?? (n === 0 ? 'px' : '');
  if (unit === '') return undefined;
  if (unit in ABSOLUTE_UNITS) return n * ABSOLUTE_UNITS[unit];
  if (unit === 'em') return n * parentPx;
  if (unit === 'rem') return n * rootPx;
  if (unit === 'ex' || unit === 'ch') return n * parentPx * 0.5;
  if (unit === '%') return (n * parentPx) / 100;
  // Viewport units: the frame is a few hundred px; only 0 matters here.
  return n === 0 ? 0 : undefined;
}

/** A font-size value in px (keywords, lengths; smaller/larger as browsers scale them). */
export function fontSizePx(value: string, parentPx: number, rootPx: number): number | undefined {
  const v = value.trim().toLowerCase();
  if (v in SIZE_KEYWORDS) return SIZE_KEYWORDS[v];
  if (v === 'smaller') return parentPx / 1.2;
  if (v === 'larger') return parentPx * 1.2;
  return lengthPx(v, parentPx, rootPx);
}

/** The size in the `font` shorthand: the token before an optional "/line-height" ("font: 0/0 a" hides text). */
export function fontSizeInShorthand(value: string, parentPx: number, rootPx: number): number | undefined {
  for (const token of value.trim().split(/\s+/)) {
    const size = fontSizePx(token.split('/')[0], parentPx, rootPx);
    if (size !== undefined) return size;
  }
  return undefined;
}
