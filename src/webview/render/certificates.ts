/** The certificate viewer: every certificate of every chain, all fields, and what can be done with it. */
import type { CertificateView, MessageView } from '../../shared/protocol';
import { button, el, icon, section } from '../dom';
import type { RenderCtx } from './context';

function certificateBlock(ctx: RenderCtx, c: CertificateView, trusted: boolean): HTMLElement {
  const s = ctx.strings;
  const isCa = c.role === 'root' || c.role === 'intermediate';
  // The context menu (package.json webview/context) gets this object: the certificate by its fingerprint id only.
  const menuContext = JSON.stringify({ webviewSection: 'certificate', certificateId: c.id });
  const details = el(ctx, 'details', { class: `certificate role-${c.role}`, 'data-certificate': c.id, 'data-vscode-context': menuContext },
    el(ctx, 'summary', {}, icon(ctx, 'file-certificate'), el(ctx, 'span', { class: 'cert-title' }, c.title), el(ctx, 'span', { class: 'cert-role' }, c.role)),
    el(ctx, 'table', { class: 'cert-fields' }, el(ctx, 'tbody', {}, ...c.fields.map((f) => el(ctx, 'tr', {}, el(ctx, 'th', { scope: 'row' }, f.label), el(ctx, 'td', {}, f.value))))),
    el(ctx, 'div', { class: 'actions' },
      button(ctx, s.copyFingerprint, () => ctx.run({ action: 'copyFingerprint', certificateId: c.id }), 'copy'),
      button(ctx, s.exportPem, () => ctx.run({ action: 'exportCertificate', certificateId: c.id }), 'export'),
      trusted && isCa ? button(ctx, s.trustCa, () => ctx.run({ action: 'trustCertificate', certificateId: c.id }), 'shield') : null,
      trusted && c.role === 'signer' ? button(ctx, s.saveAsRecipient, () => ctx.run({ action: 'saveRecipientCertificate', certificateId: c.id }), 'person-add') : null),
  );
  return details;
}

export function renderCertificates(ctx: RenderCtx, view: MessageView): HTMLElement | null {
  if (!view.certificates.length) return null;
  return section(ctx, 'certificates', ctx.strings.certificates, ...view.certificates.map((c) => certificateBlock(ctx, c, view.trustedWorkspace)));
}
