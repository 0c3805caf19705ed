/** Private keys, PKCS#12 files and signing identities. */
export { KeyError, type KeyErrorCode } from './keyError';
export { loadPrivateKey, decryptPkcs8 } from './privateKey';
export { loadPkcs12, MAX_SAFE_CONTENTS_DEPTH, type Pkcs12Contents } from './pkcs12';
export { loadIdentity, parseIdentity, type Identity, type IdentityBytes, type IdentityPaths } from './identity';
export { publicKeysMatch, orderChain } from './publicKeyMatch';
export { pkcs12Kdf, pkcs12PasswordBytes, MAX_PKCS12_KDF_ITERATIONS } from './pkcs12Kdf';
export { decryptWithPassword, MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_MEMORY } from './pbe';
