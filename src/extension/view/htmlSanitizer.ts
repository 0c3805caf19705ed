/**
 * Turns message HTML into a document for a sandboxed iframe (sandbox="", so no scripts and an opaque origin).
 * The enforcement is the Content-Security-Policy: the frame inherits the webview's policy and gets its own
 * `default-src 'none'` meta first. This rewrite comes on top of it, so that nothing remote is even asked for,
 * the user can be told how many remote references were blocked, and `cid:` images (RFC 2392) show inline.
 *
 * The output is built only from tokens this file writes: text runs that contain no "<", tags rebuilt from
 * parsed attributes with escaped values, and style blocks whose CSS was checked. What the browser parses is
 * therefore exactly what was checked, whatever tricks the input plays with comments or quotes.
 */

/** Elements dropped with their content: they run code or are never message content. */
const DROPPED_WITH_CONTENT = new Set(['script', 'template', 'noembed', 'noframes']);

/** Elements dropped (their content stays as text): they load other documents, redirect, or set the base URL. */
const DROPPED_TAGS = new Set([
  'base', 'link', 'meta', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'portal',
  // SVG animation can set href attributes to remote URLs after the rewrite.
  'animate', 'set', 'animatemotion', 'animatetransform', 'discard',
]);

/** Attributes whose value the browser fetches as a sub-resource. */
const LOADING_URL_ATTRIBUTES = new Set([
  'src', 'background', 'poster', 'data', 'lowsrc', 'dynsrc', 'codebase', 'archive', 'manifest', 'profile', 'xlink:href', 'href', 'srcset', 'imagesrcset',
]);

/** Attributes that would navigate or send requests on a click: always removed (the destination stays visible in a title). */
const NAVIGATION_ATTRIBUTES = new Set(['action', 'formaction', 'ping', 'cite', 'longdesc', 'usemap', 'icon']);

/** Attributes never copied: event handlers are handled by prefix; these are the rest. */
const DROPPED_ATTRIBUTES = new Set(['nonce', 'target', 'http-equiv', 'srcdoc', 'integrity', 'is', 'autofocus']);

const IMAGE_DATA_URL = /^data:image\/(png|gif|jpe?g|webp|bmp|svg\+xml|x-icon|vnd\.microsoft\.icon)[;,]/i;
const REMOTE_URL = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i;

export interface SanitizeOptions {
  /** Resolves a Content-ID (without angle brackets) to a data: URL of an image part of the same message. */
  resolveCid(contentId: string): string | undefined;
  /** The user chose to load remote images for this (unencrypted) message. */
  allowRemote: boolean;
  /** Nonce of the webview's style-src; the only way message CSS gets applied inside the frame. */
  styleNonce: string;
}

export interface SanitizedHtml {
  /** The complete frame document (for iframe srcdoc). */
  document: string;
  /** Remote references that would load by themselves (images, CSS, frames), blocked unless allowRemote. */
  remoteCount: number;
  /** What was removed besides remote references, for the notes under the frame. */
  removed: string[];
}

interface Context extends SanitizeOptions {
  remoteCount: number;
  removed: Set<string>;
  rules: string[];
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references of an attribute value (numeric and the common named ones). */
export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? m;
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Browsers drop ASCII tab/newline/control characters inside URLs ("jav\tascript:"), so classify without them. */
function normalizeUrl(url: string): string {
  return url.replace(/[\u0000-\u0020]/g, '');
}

/** What an auto-loading URL becomes: a data: URL, the remote URL itself when allowed, or nothing. */
function resolveLoadingUrl(raw: string, ctx: Context): string | undefined {
  const url = normalizeUrl(raw);
  if (url === '') return undefined;
  if (/^cid:/i.test(url)) {
    const resolved = ctx.resolveCid(decodeURIComponent(url.slice(4)).replace(/^<|>$/g, ''));
    if (!resolved) ctx.removed.add('missing cid: image');
    return resolved;
  }
  if (IMAGE_DATA_URL.test(url)) return url;
  if (REMOTE_URL.test(url) || /^(https?|ftp):/i.test(url)) {
    ctx.remoteCount++;
    return ctx.allowRemote && /^https?:\/\//i.test(url) ? url : undefined;
  }
  // Relative URLs would resolve against the webview itself; other schemes have no place in a message.
  ctx.removed.add('non-image URL');
  return undefined;
}

/** CSS from the message: every url() resolved like an attribute, imports and escapes (which could hide a url) removed. */
function sanitizeCss(css: string, ctx: Context): string {
  if (/\\/.test(css)) {
    ctx.removed.add('CSS with escapes');
    return '';
  }
  let out = css.replace(/@import\s+[^;]*;?/gi, () => {
    ctx.remoteCount++;
    return '';
  });
  // image-set() takes bare strings as URLs; it goes whole (one level of nested url() allowed).
  out = out.replace(/(?:-webkit-)?image-set\s*\((?:[^()]|\([^()]*\))*\)?/gi, () => {
    ctx.removed.add('CSS image-set');
    return 'none';
  });
  // Whitespace around an unquoted URL is trimmed afterwards: a "\s*" beside "[^()]*" would backtrack
  // quadratically. An unquoted URL cannot hold "(" (CSS Syntax §4.3.6), and stopping there keeps a run of
  // "url(" without ")" linear: each attempt ends at the next "(" instead of scanning to the end.
  out = out.replace(/url\((?:\s*"([^"]*)"\s*|\s*'([^']*)'\s*|([^()]*))\)/gi, (_m, a?: string, b?: string, c?: string) => {
    const resolved = resolveLoadingUrl(a ?? b ?? c?.trim() ?? '', ctx);
    return resolved ? `url("${resolved.replace(/["\\\n]/g, '')}")` : 'none';
  });
  // What is left can still not open a url: "url(" spelled any other way would need an escape.
  return out.replace(/</g, '\\3c ').replace(/&/g, '\\26 ');
}

export function parseAttributes(text: string): [string, string][] {
  const attrs: [string, string][] = [];
  const re = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) attrs.push([m[1].toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? '')]);
  return attrs;
}

function rebuildAttribute(tag: string, name: string, value: string, ctx: Context): string | undefined {
  if (name.startsWith('on') || DROPPED_ATTRIBUTES.has(name)) return undefined;
  if (name === 'style') {
    const css = sanitizeCss(value, ctx).replace(/[{}]/g, '');
    if (!css.trim()) return undefined;
    // style="" attributes need 'unsafe-inline'; they become nonce'd rules instead (the webview CSP stays strict).
    const id = ctx.rules.length;
    ctx.rules.push(`[data-smime-style="${id}"]{${css}}`);
    return `data-smime-style="${id}"`;
  }
  if (NAVIGATION_ATTRIBUTES.has(name) || (name === 'href' && (tag === 'a' || tag === 'area'))) {
    const url = normalizeUrl(value);
    if (name === 'href' && url.startsWith('#')) return `href="${escapeAttribute(url)}"`;
    return url ? `title="${escapeAttribute(value)}"` : undefined;
  }
  if (name === 'srcset' || name === 'imagesrcset') {
    const urls = value.split(',').map((s) => s.trim().split(/\s+/)[0]).filter(Boolean);
    const resolved = urls.map((u) => resolveLoadingUrl(u, ctx));
    return resolved.every(Boolean) && resolved.length ? `${name}="${escapeAttribute(resolved.join(', '))}"` : undefined;
  }
  if (LOADING_URL_ATTRIBUTES.has(name)) {
    const resolved = resolveLoadingUrl(value, ctx);
    return resolved ? `${name}="${escapeAttribute(resolved)}"` : undefined;
  }
  return `${name}="${escapeAttribute(value)}"`;
}

function indexOfCaseless(text: string, needle: string, from: number): number {
  const i = text.toLowerCase().indexOf(needle, from);
  return i < 0 ? text.length : i;
}

/** End of a tag starting at `from` (just past its name): the first ">" outside quoted attribute values. */
export function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      if (/=\s*$/.test(text.slice(Math.max(from, i - 8), i))) quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return text.length;
}

/** Skips a raw-text element's content up to and including its end tag. */
function skipPast(text: string, name: string, from: number): { content: string; next: number } {
  const close = indexOfCaseless(text, `</${name}`, from);
  const gt = text.indexOf('>', close);
  return { content: text.slice(from, close), next: gt < 0 ? text.length : gt + 1 };
}

function rewrite(input: string, ctx: Context): string {
  const out: string[] = [];
  let i = 0;
  while (i < input.length) {
    const lt = input.indexOf('<', i);
    if (lt < 0) {
      out.push(input.slice(i));
      break;
    }
    out.push(input.slice(i, lt));
    if (input.startsWith('<!--', lt)) {
      const end = input.indexOf('-->', lt + 4);
      i = end < 0 ? input.length : end + 3;
      continue;
    }
    const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/.exec(input.slice(lt, lt + 80));
    if (!m) {
      // Doctype, processing instruction, or a lone "<": the first two are dropped, a "<" stays as text.
      if (input[lt + 1] === '!' || input[lt + 1] === '?') i = tagEnd(input, lt + 2);
      else {
        out.push('&lt;');
        i = lt + 1;
      }
      continue;
    }
    const name = m[2].toLowerCase();
    const end = tagEnd(input, lt + m[0].length);
    i = end;
    if (m[1]) {
      if (!DROPPED_TAGS.has(name) && !DROPPED_WITH_CONTENT.has(name)) out.push(`</${name}>`);
      continue;
    }
    if (DROPPED_WITH_CONTENT.has(name) || name === 'style') {
      const { content, next } = skipPast(input, name, end);
      i = next;
      if (name === 'style') out.push(`<style nonce="${ctx.styleNonce}">${sanitizeCss(content, ctx)}</style>`);
      else ctx.removed.add(name);
      continue;
    }
    const attrs = parseAttributes(input.slice(lt + m[0].length, end - 1));
    if (DROPPED_TAGS.has(name)) {
      if (attrs.some(([, v]) => REMOTE_URL.test(normalizeUrl(v)))) ctx.remoteCount++;
      continue;
    }
    const rebuilt = attrs.map(([n, v]) => rebuildAttribute(name, n, v, ctx)).filter((a): a is string => a !== undefined);
    out.push(`<${name}${rebuilt.length ? ' ' + rebuilt.join(' ') : ''}>`);
  }
  return out.join('');
}

/** The frame's own defaults: mail HTML is written for a white page, whatever the editor theme. */
const FRAME_BASE_CSS = 'html{background:#fff;color:#000;font-family:sans-serif}body{margin:8px;overflow-wrap:anywhere}img{max-width:100%}';

export function sanitizeHtml(html: string, options: SanitizeOptions): SanitizedHtml {
  const ctx: Context = { ...options, remoteCount: 0, removed: new Set(), rules: [] };
  const body = rewrite(html, ctx);
  const img = options.allowRemote ? 'data: https: http:' : 'data:';
  const csp = `default-src 'none'; img-src ${img}; style-src 'nonce-${options.styleNonce}'; font-src data:; form-action 'none'`;
  const head = [
    '<!DOCTYPE html><html><head>',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="referrer" content="no-referrer">',
    `<style nonce="${options.styleNonce}">${FRAME_BASE_CSS}${ctx.rules.join('')}</style>`,
    '</head>',
  ].join('');
  return { document: head + body, remoteCount: ctx.remoteCount, removed: [...ctx.removed] };
}
