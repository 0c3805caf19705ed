/**
 * The security summary and the checklists. This is the only place the message's security state is shown, and
 * it lives in the webview's own page, outside any frame the message content can draw into.
 */
import type { CheckView, LayerView, MessageView, SignerView } from '../../shared/protocol';
import { button, el, icon } from '../dom';
import type { RenderCtx } from './context';

const STATUS_ICON: Record<CheckView['status'], string> = { pass: 'pass', fail: 'error', warn: 'warning', skip: 'circle-slash' };

function checkItem(ctx: RenderCtx, c: CheckView): HTMLElement {
  return el(ctx, 'li', { class: `check status-${c.status}`, 'aria-label': `${c.label}: ${ctx.strings.status[c.status]}. ${c.detail}` },
    icon(ctx, STATUS_ICON[c.status]),
    el(ctx, 'span', { class: 'check-label' }, c.label),
    el(ctx, 'span', { class: 'check-detail' }, c.detail),
    c.rfc ? el(ctx, 'span', { class: 'rfc' }, c.rfc) : null,
  );
}

function signerBlock(ctx: RenderCtx, s: SignerView): HTMLElement {
  return el(ctx, 'div', { class: `signer tone-${s.tone}` },
    el(ctx, 'h4', {}, s.name),
    el(ctx, 'p', { class: 'algorithms' }, `${s.signatureAlgorithm} · ${s.digestAlgorithm}${s.signingTime ? ` · ${s.signingTime}` : ''}`),
    el(ctx, 'ul', { class: 'checklist' }, ...s.checks.map((c) => checkItem(ctx, c))),
    s.chain[0] ? button(ctx, ctx.strings.certificates, () => revealCertificate(ctx, s.chain[0]), 'file-certificate') : null,
  );
}

function layerBlock(ctx: RenderCtx, layer: LayerView): HTMLElement {
  return el(ctx, 'div', { class: `layer tone-${layer.tone}`, 'data-layer': layer.path },
    el(ctx, 'h3', {}, `${layer.title} — ${layer.path}${layer.coversMessage ? '' : ` (${layer.covers})`}`),
    layer.checks.length ? el(ctx, 'ul', { class: 'checklist' }, ...layer.checks.map((c) => checkItem(ctx, c))) : null,
    ...layer.signers.map((s) => signerBlock(ctx, s)),
    layer.reasons.length ? el(ctx, 'ul', { class: 'reasons' }, ...layer.reasons.map((r) => el(ctx, 'li', { class: `severity-${r.severity}` }, r.message, r.rfc ? el(ctx, 'span', { class: 'rfc' }, r.rfc) : null))) : null,
  );
}

export function revealCertificate(ctx: RenderCtx, id: string): void {
  const target = Array.from(ctx.doc.querySelectorAll<HTMLDetailsElement>('details[data-certificate]')).find((d) => d.dataset.certificate === id);
  if (!target) return;
  target.open = true;
  target.scrollIntoView?.({ block: 'start' });
  target.querySelector('summary')?.focus();
}

export function renderSummary(ctx: RenderCtx, view: MessageView): HTMLElement {
  const s = view.summary;
  const canDecrypt = (view.decryptState === 'locked' || view.decryptState === 'keyLocked' || view.decryptState === 'failed') && view.trustedWorkspace;
  // A locked key: the button asks for the passphrase (the decrypt action prompts), and says so.
  const decryptLabel = view.decryptState === 'keyLocked' ? ctx.strings.enterPassphrase : ctx.strings.decrypt;
  // Announced through the page's one live region (focus.ts), not as a live region of its own.
  return el(ctx, 'section', { id: 'summary', class: `summary tone-${s.tone}`, 'aria-label': `${s.title}. ${s.detail}` },
    el(ctx, 'div', { class: 'verdict' }, icon(ctx, s.icon), el(ctx, 'h1', {}, s.title)),
    el(ctx, 'p', { class: 'detail' }, s.detail),
    s.signedBy.length ? el(ctx, 'ul', { class: 'signed-by' }, ...s.signedBy.map((line) => el(ctx, 'li', {}, line))) : null,
    s.encryption
      ? el(ctx, 'div', { class: `encryption${s.encryption.integrityProtected ? '' : ' weak'}` },
          icon(ctx, s.encryption.decrypted ? 'unlock' : 'lock'),
          el(ctx, 'span', {}, s.encryption.text),
          ...s.encryption.notes.map((n) => el(ctx, 'p', { class: 'note' }, n)))
      : null,
    canDecrypt ? button(ctx, decryptLabel, () => ctx.run({ action: 'decrypt' }), view.decryptState === 'keyLocked' ? 'key' : 'unlock', { class: 'primary', id: 'decrypt' }) : null,
    s.reasons.length
      ? el(ctx, 'ul', { class: 'reasons' }, ...s.reasons.map((r) => el(ctx, 'li', { class: `severity-${r.severity}` }, r.message, r.rfc ? el(ctx, 'span', { class: 'rfc' }, r.rfc) : null)))
      : null,
  );
}

export function renderChecks(ctx: RenderCtx, view: MessageView): HTMLElement | null {
  if (!view.layers.length) return null;
  const details = el(ctx, 'details', { id: 'checks', class: 'panel' }, el(ctx, 'summary', {}, el(ctx, 'h2', {}, ctx.strings.checks)), ...view.layers.map((l) => layerBlock(ctx, l)));
  details.open = view.summary.tone !== 'ok' || (ctx.state.openSections ?? []).includes('checks');
  details.addEventListener('toggle', () => {
    const open = new Set(ctx.state.openSections ?? []);
    if (details.open) open.add('checks');
    else open.delete('checks');
    ctx.state.openSections = [...open];
    ctx.saveState();
  });
  return details;
}
