/**
 * Renders a whole view model into the page; re-renders on every update (the view model is small), keeping the
 * keyboard focus on the same control (focus.ts).
 */
import type { MessageView } from '../../shared/protocol';
import { el, icon } from '../dom';
import { focusedKey, restoreFocus } from '../focus';
import { renderAttachments, renderBodies, renderHeaders, renderWarnings } from './content';
import { renderCertificates } from './certificates';
import type { RenderCtx } from './context';
import { renderChecks, renderSummary } from './summary';
import { renderTree } from './tree';

/** The extension's own frame: the verdict, what the signed parts hide, and the checks. Message content is never
 *  drawn inside it (HTML parts live in sandboxed frames further down, text parts only as text). */
function verificationFrame(ctx: RenderCtx, view: MessageView): HTMLElement {
  const hiding = view.bodies.filter((b) => b.kind === 'html' && b.hiddenText && b.protection.signed);
  return el(ctx, 'section', { id: 'verification', class: 'verification-frame', 'data-verdict': view.summary.verdict, 'aria-labelledby': 'verification-title' },
    el(ctx, 'div', { class: 'frame-title', id: 'verification-title' }, icon(ctx, 'shield'), ctx.strings.verificationFrame),
    renderSummary(ctx, view),
    hiding.length
      ? el(ctx, 'ul', { class: 'hidden-text-summary' }, ...hiding.map((b) => el(ctx, 'li', { class: 'severity-warning' }, icon(ctx, 'eye-closed'),
          ctx.strings.hiddenTextInPart.replace('{0}', b.partId).replace('{1}', b.kind === 'html' ? (b.hiddenText?.text ?? '') : ''))))
      : null,
    renderChecks(ctx, view));
}

export function renderView(ctx: RenderCtx, root: HTMLElement, view: MessageView, busy = false): void {
  const main = el(ctx, 'div', { class: `message${busy ? ' busy' : ''}`, 'aria-busy': String(busy) },
    verificationFrame(ctx, view),
    el(ctx, 'div', { class: 'columns' },
      renderTree(ctx, view.tree),
      el(ctx, 'div', { class: 'content' },
        renderHeaders(ctx, view),
        renderBodies(ctx, view),
        renderAttachments(ctx, view),
        renderCertificates(ctx, view),
        renderWarnings(ctx, view))),
  );
  const focused = focusedKey(ctx.doc, root);
  root.replaceChildren(main);
  setBusy(root, busy);
  restoreFocus(root, focused);
}

/** Busy while the host runs an action: changed in place, so the focus stays where it is. */
export function setBusy(root: HTMLElement, busy: boolean): void {
  const main = root.querySelector('.message');
  main?.classList.toggle('busy', busy);
  main?.setAttribute('aria-busy', String(busy));
  for (const b of Array.from(root.querySelectorAll('button'))) b.disabled = busy;
}
