/** Creating CMS objects: SignedData, EnvelopedData and AuthEnvelopedData. */
export { BuildError, type BuildErrorCode } from './buildError';
export {
  buildSignedData,
  digestOfSigner,
  micalgFor,
  DEFAULT_SMIME_CAPABILITIES,
  MAX_SIGNERS,
  type SignerSpec,
  type SignOptions,
} from './signedDataBuilder';
export { buildEnvelopedData, MAX_RECIPIENTS, type ContentCipherName, type EncryptOptions } from './envelopedDataBuilder';
