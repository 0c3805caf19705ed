/**
 * Headers, bodies, attachments. HTML is never put into this page: each HTML part gets its own iframe with
 * sandbox="" (no scripts, no same-origin, no forms, no popups, no navigation of the top page) and a srcdoc the
 * host already rewrote; the page's CSP (inherited by srcdoc frames) blocks whatever the rewrite missed.
 */
import type { BodyView, HeaderView, HtmlBodyView, MessageView } from '../../shared/protocol';
import { button, el, icon, section } from '../dom';
import type { RenderCtx } from './context';

function headerTable(ctx: RenderCtx, headers: HeaderView[], raw: boolean): HTMLElement {
  return el(ctx, 'table', { class: 'headers' },
    el(ctx, 'tbody', {}, ...headers.map((h) => el(ctx, 'tr', h.flag ? { class: `flagged tone-${h.flag.tone}` } : {},
      el(ctx, 'th', { scope: 'row' }, h.name),
      el(ctx, 'td', {}, raw ? h.raw : h.value, h.flag ? el(ctx, 'span', { class: 'flag-note' }, h.flag.note) : null)))));
}

export function renderHeaders(ctx: RenderCtx, view: MessageView): HTMLElement {
  const raw = ctx.state.rawHeaders === true;
  const toggle = button(ctx, raw ? ctx.strings.showDecoded : ctx.strings.showRaw, () => {
    ctx.state.rawHeaders = !raw;
    ctx.saveState();
    ctx.rerender();
  }, 'symbol-string', { 'aria-pressed': String(raw), id: 'toggle-raw' });
  return section(ctx, 'headers', ctx.strings.headers,
    toggle,
    headerTable(ctx, view.headers, raw),
    view.innerHeaders ? el(ctx, 'h3', {}, ctx.strings.protectedHeaders) : null,
    view.innerHeaders ? headerTable(ctx, view.innerHeaders, raw) : null,
  );
}

function notes(ctx: RenderCtx, list: string[]): HTMLElement | null {
  return list.length ? el(ctx, 'ul', { class: 'notes' }, ...list.map((n) => el(ctx, 'li', {}, n))) : null;
}

function htmlFrame(ctx: RenderCtx, body: HtmlBodyView, title: string): HTMLElement {
  const frame = el(ctx, 'iframe', { class: 'html-body', title, sandbox: '', referrerpolicy: 'no-referrer', loading: 'lazy' });
  // Set as a property: the value is an attribute string, never parsed into this page.
  frame.srcdoc = body.srcdoc;
  let remoteBar: HTMLElement | null = null;
  if (body.remoteCount > 0 && !body.remoteAllowed) {
    const text = ctx.strings.remoteBlocked.replace('{0}', String(body.remoteCount));
    remoteBar = el(ctx, 'div', { class: 'remote-bar', role: 'note' }, icon(ctx, 'shield'), el(ctx, 'span', {}, text),
      body.remoteForbidden
        ? el(ctx, 'span', { class: 'note' }, body.remoteForbidden)
        : button(ctx, ctx.strings.loadRemote, () => ctx.run({ action: 'loadRemoteContent' }), 'cloud-download', { class: 'load-remote' }));
  }
  return el(ctx, 'div', {}, remoteBar, frame);
}

/** The extension's mark above a part: signed or not, and what an HTML part hides. */
function partMark(ctx: RenderCtx, body: BodyView): HTMLElement {
  const p = body.protection;
  const hidden = body.kind === 'html' ? body.hiddenText : undefined;
  return el(ctx, 'div', { class: `part-mark tone-${p.tone}${p.signed ? ' part-signed' : ' part-unsigned'}`, role: 'note' },
    el(ctx, 'span', { class: 'part-protection' }, icon(ctx, p.signed ? (p.tone === 'ok' ? 'verified-filled' : 'unverified') : 'circle-slash'), p.label),
    hidden ? el(ctx, 'span', { class: `hidden-text${p.signed ? ' in-signed' : ''}` }, icon(ctx, 'eye-closed'), hidden.text) : null);
}

function bodyBlock(ctx: RenderCtx, body: BodyView, view: MessageView): HTMLElement {
  const title = `${view.subject || view.fileName} — ${body.partId}`;
  return el(ctx, 'article', { class: `body body-${body.kind}`, 'data-part-content': body.partId, 'aria-label': title },
    el(ctx, 'div', { class: 'body-toolbar' },
      el(ctx, 'span', { class: 'part-id' }, `${body.partId} · ${body.kind === 'html' ? 'text/html' : 'text/plain'} · ${body.charset}`),
      button(ctx, ctx.strings.openAsText, () => ctx.run({ action: 'openPartAsText', partId: body.partId }), 'go-to-file')),
    partMark(ctx, body),
    body.kind === 'text' ? el(ctx, 'pre', { class: 'text-body', tabindex: '0' }, body.text) : htmlFrame(ctx, body, title),
    notes(ctx, body.notes),
  );
}

/** The message's own content, in a frame labelled as the sender's and unverified. */
export function renderBodies(ctx: RenderCtx, view: MessageView): HTMLElement {
  const bodies = section(ctx, 'bodies', ctx.strings.body,
    el(ctx, 'p', { class: 'sender-content-label' }, icon(ctx, 'info'), el(ctx, 'strong', {}, ctx.strings.senderContent), ' ', ctx.strings.senderContentNote),
    ...(view.bodies.length ? view.bodies.map((b) => bodyBlock(ctx, b, view)) : [el(ctx, 'p', { class: 'empty' }, ctx.strings.noBody)]));
  bodies.classList.add('sender-content');
  return bodies;
}

export function renderAttachments(ctx: RenderCtx, view: MessageView): HTMLElement | null {
  if (!view.attachments.length) return null;
  return section(ctx, 'attachments', ctx.strings.attachments,
    el(ctx, 'ul', { class: 'attachments' }, ...view.attachments.map((a) =>
      el(ctx, 'li', { 'data-part-content': a.partId },
        icon(ctx, 'file'),
        el(ctx, 'span', { class: 'file-name' }, a.filename || a.partId),
        el(ctx, 'span', { class: 'part-id' }, `${a.mimeType} · ${a.size} B · ${ctx.strings.coverage[a.coverage]}`),
        button(ctx, ctx.strings.save, () => ctx.run({ action: 'saveAttachment', partId: a.partId }), 'save', { 'aria-label': `${ctx.strings.save} ${a.filename}` }),
        button(ctx, ctx.strings.openAsText, () => ctx.run({ action: 'openPartAsText', partId: a.partId }), 'go-to-file')))));
}

export function renderWarnings(ctx: RenderCtx, view: MessageView): HTMLElement | null {
  return view.warnings.length ? section(ctx, 'warnings', ctx.strings.warnings, notes(ctx, view.warnings)) : null;
}
