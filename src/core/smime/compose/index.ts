/** The S/MIME write path: preparing, signing, encrypting and addressing messages. */
export { prepareMessage, assembleMessage, messageAddresses, type PrepareOptions, type PreparedMessage, type MessageAddresses } from './prepare';
export { signMessage, signEntity, type SignMessageOptions, type EntitySignOptions } from './signMessage';
export {
  encryptMessage,
  encryptEntity,
  signAndEncrypt,
  readerWarnings,
  type ContentCipherName,
  type EncryptMessageOptions,
  type EntityEncryptOptions,
  type SignAndEncryptOptions,
  type WrapOrder,
} from './encryptMessage';
export { resolveRecipients, RECIPIENT_FILE_EXTENSIONS, type RecipientLookup, type RecipientMatch, type ResolvedRecipients } from './recipients';
export { signerProblems, senderWarnings, recipientProblems, type SignerIdentity } from './identityChecks';
export { saveSignerCertificates, verifiedSignerCertificates, type SavedCertificate, type HarvestResult } from './saveRecipient';
export { ComposeError, type ComposeResult, type ComposeWarning, type PreflightChange, type Refusal, type RefusalCode } from './types';
