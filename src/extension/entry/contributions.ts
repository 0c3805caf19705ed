/**
 * What the tiny entry (extension.ts) registers before the core is loaded: the ids of every command that
 * package.json contributes, and the message editor's view type and options. Kept free of imports so the entry
 * bundle stays small; a unit test checks the list against package.json.
 */

export const MESSAGE_EDITOR_VIEW_TYPE = 'smime.messageEditor';

/** Commands a user can run before anything was loaded: from the palette, a menu, a keybinding or another extension. */
export const CONTRIBUTED_COMMANDS: readonly string[] = [
  'smime.verify',
  'smime.decrypt',
  'smime.showSignerCertificate',
  'smime.showCertificate',
  'smime.saveSignerCertificate',
  'smime.openRawSource',
  'smime.openMessageView',
  'smime.setKeyPassphrase',
  'smime.forgetKeyPassphrase',
  'smime.chooseKeyFile',
  'smime.sign',
  'smime.encrypt',
  'smime.signAndEncrypt',
  'smime.createTestIdentity',
  'smime.copyCertificateFingerprint',
  'smime.exportCertificatePem',
  'smime.inbox.start',
  'smime.inbox.stop',
  'smime.inbox.refresh',
  'smime.inbox.forgetPasswords',
  'smime.inbox.sendTestMessage',
  'smime.compareMessages',
];

/** The integration tests' commands (registered in test mode only, see commands/testHooks.ts). */
export const TEST_COMMANDS: readonly string[] = [
  'smime._test.lastViewModel',
  'smime._test.viewModel',
  'smime._test.storePassphrase',
  'smime._test.refresh',
  'smime._test.lastError',
  'smime._test.answerPrompts',
  'smime._test.runAction',
  'smime._test.verdictStatus',
  'smime._test.editorTitle',
  'smime._test.inboxState',
  'smime._test.storeInboxPassword',
  'smime._test.hasInboxPassword',
];

/** The Test Inbox view (Explorer): the entry shows it and asks the core for its data on first use. */
export const INBOX_VIEW = 'smime.testInbox';

/** The language id of .eml files opened as text (the raw view's CodeLens, outline, hovers and diagnostics). */
export const EML_LANGUAGE = 'eml';
