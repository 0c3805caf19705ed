/** Labels of the webview's own controls, localised in the host (the webview has no l10n API of its own). */
import type { UiStrings } from '../../shared/protocol';
import { formatMessage, type Translate } from './translate';

export function uiStrings(t: Translate = formatMessage): UiStrings {
  return {
    checks: t('Checks'),
    layers: t('S/MIME layers'),
    structure: t('MIME structure'),
    headers: t('Headers'),
    protectedHeaders: t('Protected (inner) headers'),
    showRaw: t('Show raw'),
    showDecoded: t('Show decoded'),
    body: t('Message'),
    attachments: t('Attachments'),
    certificates: t('Certificates'),
    save: t('Save…'),
    openAsText: t('Open as Text'),
    decrypt: t('Decrypt'),
    enterPassphrase: t('Enter Passphrase'),
    copyFingerprint: t('Copy SHA-256 fingerprint'),
    exportPem: t('Export PEM…'),
    trustCa: t('Trust this CA in this workspace…'),
    saveAsRecipient: t('Save as recipient certificate'),
    loadRemote: t('Load remote images for this message'),
    remoteBlocked: t('{0} remote reference(s) blocked'),
    noBody: t('No text or HTML part to show.'),
    warnings: t('Warnings'),
    signers: t('Signers'),
    verificationFrame: t('S/MIME verification (by this extension, not by the message)'),
    senderContent: t("Sender's content (unverified)"),
    senderContentNote: t('Everything below is drawn by the message and can imitate anything, a verdict included. The verdict is only in the frame above, the tab title and the status bar.'),
    hiddenTextInPart: t('Part {0}: {1}'),
    coverage: {
      signed: t('signed'),
      encrypted: t('encrypted'),
      'signed-encrypted': t('signed and encrypted'),
      'not-covered': t('not covered by the signature'),
      unprotected: t('not signed'),
    },
    status: { pass: t('passed'), fail: t('failed'), warn: t('warning'), skip: t('not checked') },
  };
}
