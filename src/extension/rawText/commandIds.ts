/** Command ids of the raw-text features (invoked from CodeLens, not listed in the command palette). */
export const RAW_COMMANDS = {
  decodePart: 'smime.rawText.decodePart',
  saveAttachment: 'smime.rawText.saveAttachment',
  showCertificate: 'smime.rawText.showCertificate',
  decrypt: 'smime.rawText.decrypt',
  openDecrypted: 'smime.rawText.openDecrypted',
} as const;

/** The message view's command: (uri, partPath?) opens the custom editor on the file, revealing the part. */
export const OPEN_MESSAGE_VIEW_COMMAND = 'smime.openMessageView';

/** The message view's certificate command, when it registers one: (uri, layerPath, signerIndex). */
export const SHOW_CERTIFICATE_COMMAND = 'smime.showCertificate';

/** Unlocks a configured key: (keyFile) asks for its passphrase and keeps it in SecretStorage. */
export const SET_KEY_PASSPHRASE_COMMAND = 'smime.setKeyPassphrase';
