/**
 * The verdict as VS Code itself shows it, outside the webview: in the editor tab's title and in a status bar item
 * for the message in front. Message content can draw anything inside the webview (an HTML part can paint a green
 * "Signature valid" panel), but it cannot reach the workbench's tab strip or status bar, so the verdict there
 * cannot be imitated. The verdict always comes first: a file name is the sender's (or anyone's) choice and may
 * itself read "Signature valid".
 */
import type { SummaryView, Tone } from '../../shared/protocol';
import type { Translate } from './translate';

export interface VerdictLabel {
  /** One character that survives a narrow tab: check mark, cross, exclamation mark, dash, lock. */
  glyph: string;
  /** A few words: "Signature valid", "Not signed", ... */
  text: string;
  tone: Tone;
  /** Codicon name (status bar). */
  icon: string;
}

/** Longest file name kept in a tab title; the verdict before it is never cut. */
export const MAX_TITLE_FILE_NAME = 60;

function isPartial(summary: SummaryView): boolean {
  return summary.reasons.some((r) => r.code === 'partial-signature');
}

export function verdictLabel(summary: SummaryView, t: Translate): VerdictLabel {
  const look = { tone: summary.tone, icon: summary.icon };
  switch (summary.verdict) {
    case 'valid':
      return { ...look, glyph: '\u2713', text: t('Signature valid') };
    case 'invalid':
      return { ...look, glyph: '\u2717', text: t('Signature invalid') };
    case 'untrusted':
      return { ...look, glyph: '!', text: t('Signature not trusted') };
    case 'mismatch':
      return { ...look, glyph: '!', text: t('Signer is not the sender') };
    case 'locked':
      return { ...look, glyph: '\u{1F512}', text: t('Encrypted') };
    case 'error':
      return { ...look, glyph: '\u2717', text: t('Cannot verify') };
    default:
      return isPartial(summary) ? { ...look, glyph: '!', text: t('Partly signed') } : { ...look, glyph: '\u2013', text: t('Not signed') };
  }
}

/** Characters that could reorder or hide the title's text (bidi controls, zero-width, other format characters). */
const FORMAT_CHARACTERS = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** "✓ Signature valid · mail.eml": the verdict first, the file name cleaned of control characters and shortened. */
export function tabTitle(label: VerdictLabel, fileName: string): string {
  let name = fileName.replace(FORMAT_CHARACTERS, '');
  if (name.length > MAX_TITLE_FILE_NAME) name = `${name.slice(0, MAX_TITLE_FILE_NAME - 1)}\u2026`;
  return `${label.glyph} ${label.text} \u00b7 ${name}`;
}

/** The status bar item's text and tooltip for the message in front (plain text: no markdown from the message). */
export function statusBarText(label: VerdictLabel, summary: SummaryView, fileName: string, t: Translate): { text: string; tooltip: string } {
  const lines = [
    t('S/MIME verdict for {0}: {1}', fileName.replace(FORMAT_CHARACTERS, ''), summary.title),
    summary.detail,
    ...summary.signedBy,
    ...(summary.encryption ? [summary.encryption.text] : []),
    t('Shown by the S/MIME extension, outside the message content.'),
  ];
  return { text: `$(${label.icon}) ${t('S/MIME: {0}', label.text)}`, tooltip: lines.filter(Boolean).join('\n') };
}
