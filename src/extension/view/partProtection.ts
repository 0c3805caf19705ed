/**
 * What the view says above each body part: signed or not (from the part's coverage, RFC 8551 §3.5: only what a
 * signature covers is signed), and how much text an HTML part hides. Both are written by the extension, outside
 * the sender's content, so a part cannot claim to be signed by drawing a badge of its own.
 */
import type { HiddenTextView, PartProtectionView, PartView } from '../../shared/protocol';
import type { HiddenTextReport, HidingKind } from './hiddenText';
import type { Translate } from './translate';

export function partProtection(part: PartView | undefined, t: Translate): PartProtectionView {
  const coverage = part?.coverage ?? 'unprotected';
  if (coverage === 'signed' || coverage === 'signed-encrypted') {
    return part?.tone === 'ok'
      ? { signed: true, tone: 'ok', label: t('Signed: covered by the valid signature') }
      : { signed: true, tone: part?.tone ?? 'warn', label: t('Covered by a signature that is not valid (see the verdict)') };
  }
  if (coverage === 'not-covered') return { signed: false, tone: 'warn', label: t('Not signed: outside what the signature covers') };
  if (coverage === 'encrypted') return { signed: false, tone: 'neutral', label: t('Not signed: encrypted only, anyone could have written it') };
  return { signed: false, tone: 'neutral', label: t('Not signed') };
}

function kindLabel(kind: HidingKind, t: Translate): string {
  const labels: Record<HidingKind, string> = {
    display: t('display:none or hidden'),
    visibility: t('visibility:hidden'),
    opacity: t('opacity near 0'),
    'font-size': t('font size near 0'),
    'same-colour': t('same colour as the background'),
    transparent: t('transparent text'),
    clipped: t('clipped to nothing'),
    'off-screen': t('moved off-screen'),
  };
  return labels[kind];
}

/** The hidden-text line of an HTML part, or undefined when it hides nothing and that is certain. */
export function hiddenTextView(report: HiddenTextReport, t: Translate): HiddenTextView | undefined {
  if (report.complete && report.passages === 0) return undefined;
  const kinds = report.kinds.map((k) => kindLabel(k, t)).join(', ');
  let text: string;
  if (report.passages === 0) text = t('Hidden text could not be fully checked: this HTML uses styles the view does not evaluate.');
  else if (report.complete) text = t('Hidden text: {0} passage(s), {1} characters this HTML does not display ({2}). "Open as Text" shows them.', report.passages, report.characters, kinds);
  else text = t('Hidden text: at least {0} passage(s), {1} characters this HTML does not display ({2}); some styles could not be checked. "Open as Text" shows them.', report.passages, report.characters, kinds);
  return { passages: report.passages, characters: report.characters, complete: report.complete, text };
}
