/** Why a key, PKCS#12 file or identity could not be loaded; callers branch on `code`. */
export type KeyErrorCode =
  | 'passphrase-required'
  | 'bad-passphrase'
  | 'not-a-key'
  | 'unsupported'
  | 'malformed'
  | 'no-key'
  | 'no-certificate'
  | 'key-mismatch'
  | 'io';

export class KeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeyError';
  }
}
