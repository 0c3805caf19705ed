/** Why a CMS object could not be built; callers branch on `code`. Building throws only on wrong input. */
export type BuildErrorCode =
  /** A key type we cannot sign or encrypt with (DSA, Ed448, RSA-PSS keys as recipients, ...). */
  | 'unsupported-key'
  /** The private key does not belong to the certificate given with it. */
  | 'key-cert-mismatch'
  /** A recipient certificate whose public key cannot be used. */
  | 'bad-recipient'
  | 'no-recipients'
  | 'no-signers'
  | 'too-many-signers'
  /** A digest the signer's algorithm does not allow (Ed25519 requires SHA-512, RFC 8419 §3.1). */
  | 'unsupported-digest'
  | 'unsupported-cipher';

export class BuildError extends Error {
  constructor(
    readonly code: BuildErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BuildError';
  }
}
