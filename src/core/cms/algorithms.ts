/**
 * What we know about the algorithms that protect CMS content and keys: readable names for the OIDs
 * a recipient sees, and which of them this library can decrypt (and how).
 */
import { OID, oidName } from '../asn1/oids';

/** Reason codes shared by the decryption entry points (EnvelopedData, AuthEnvelopedData, CompressedData). */
export type DecryptReasonCode =
  | 'no-recipient-key'
  | 'decryption-failed'
  | 'unsupported-algorithm'
  | 'malformed'
  | 'auth-tag-mismatch'
  | 'weak-algorithm'
  | 'too-large'
  | 'decompression-failed';

export interface DecryptReason {
  code: DecryptReasonCode;
  message: string;
}

/** Either a value or the reason it could not be produced. */
export type Outcome<T> = ({ ok: true } & T) | ({ ok: false } & DecryptReason);

export function fail(code: DecryptReasonCode, message: string): { ok: false } & DecryptReason {
  return { ok: false, code, message };
}

export type ContentCipherEngine = 'node' | 'node-single-des' | 'forge-rc2';

export interface ContentCipherInfo {
  name: string;
  engine: ContentCipherEngine;
  /** node:crypto cipher name (engine 'node'). */
  nodeCipher?: string;
  mode: 'cbc' | 'gcm';
  /** CBC block (and IV) size. */
  blockBytes: number;
  /** Length of the content-encryption key; undefined when the parameters decide it (RC2). */
  keyBytes?: number;
  /** Effective strength shown to the user. */
  keyBits?: number;
  /** Not among the algorithms RFC 8551 §2.7 requires (AES-GCM, AES-CBC, ChaCha20-Poly1305): decrypt, but warn. */
  legacy: boolean;
}

/** Content-encryption algorithms we can decrypt (RFC 3565 AES-CBC, RFC 5084 AES-GCM, RFC 3370 3DES/RC2/DES). */
export const CONTENT_CIPHERS: Record<string, ContentCipherInfo> = {
  [OID.aes128Cbc]: { name: 'AES-128-CBC', engine: 'node', nodeCipher: 'aes-128-cbc', mode: 'cbc', blockBytes: 16, keyBytes: 16, keyBits: 128, legacy: false },
  [OID.aes192Cbc]: { name: 'AES-192-CBC', engine: 'node', nodeCipher: 'aes-192-cbc', mode: 'cbc', blockBytes: 16, keyBytes: 24, keyBits: 192, legacy: false },
  [OID.aes256Cbc]: { name: 'AES-256-CBC', engine: 'node', nodeCipher: 'aes-256-cbc', mode: 'cbc', blockBytes: 16, keyBytes: 32, keyBits: 256, legacy: false },
  [OID.aes128Gcm]: { name: 'AES-128-GCM', engine: 'node', nodeCipher: 'aes-128-gcm', mode: 'gcm', blockBytes: 16, keyBytes: 16, keyBits: 128, legacy: false },
  [OID.aes192Gcm]: { name: 'AES-192-GCM', engine: 'node', nodeCipher: 'aes-192-gcm', mode: 'gcm', blockBytes: 16, keyBytes: 24, keyBits: 192, legacy: false },
  [OID.aes256Gcm]: { name: 'AES-256-GCM', engine: 'node', nodeCipher: 'aes-256-gcm', mode: 'gcm', blockBytes: 16, keyBytes: 32, keyBits: 256, legacy: false },
  // 3DES keys are 192 bits on the wire, 168 of them effective (RFC 3370 §5.1).
  [OID.desEde3Cbc]: { name: '3DES-EDE-CBC', engine: 'node', nodeCipher: 'des-ede3-cbc', mode: 'cbc', blockBytes: 8, keyBytes: 24, keyBits: 168, legacy: true },
  // Single DES lives in OpenSSL 3's legacy provider, which Node does not load. EDE with K1 = K2 = K3 is single DES
  // (the decrypt and encrypt with the same key cancel, FIPS 46-3 keying option 3 with equal keys), so 3DES decrypts
  // it natively. RC2 has no such equivalent: node-forge decrypts it.
  [OID.desCbc]: { name: 'DES-CBC', engine: 'node-single-des', nodeCipher: 'des-ede3-cbc', mode: 'cbc', blockBytes: 8, keyBytes: 8, keyBits: 56, legacy: true },
  [OID.rc2Cbc]: { name: 'RC2-CBC', engine: 'forge-rc2', mode: 'cbc', blockBytes: 8, legacy: true },
};

/** Content-encryption OIDs we recognise but cannot decrypt (named so the user sees what was used). */
const OTHER_CONTENT_NAMES: Record<string, string> = {
  '2.16.840.1.101.3.4.1.7': 'AES-128-CCM',
  '2.16.840.1.101.3.4.1.27': 'AES-192-CCM',
  '2.16.840.1.101.3.4.1.47': 'AES-256-CCM',
  '1.2.840.113549.1.9.16.3.18': 'ChaCha20-Poly1305',
  '2.16.840.1.101.3.4.1.1': 'AES-128-ECB',
  '1.2.840.113549.3.4': 'RC4',
};

export function contentEncryptionName(oid: string): string {
  return CONTENT_CIPHERS[oid]?.name ?? OTHER_CONTENT_NAMES[oid] ?? oidName(oid);
}

/** RC2 parameter version to effective key bits (RFC 3370 §5.2, RFC 2268 §6). */
export function rc2EffectiveBits(version: number): number | undefined {
  if (version === 160) return 40;
  if (version === 120) return 64;
  if (version === 58) return 128;
  if (version >= 256) return version;
  return undefined;
}

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** ECDH ephemeral-static schemes with the ANSI X9.63 KDF hash each implies (RFC 5753 §7.1.4, RFC 8418 §2). */
export const ECDH_KDF_HASH: Record<string, HashName> = {
  [OID.dhSinglePassStdDhSha1Kdf]: 'sha1',
  [OID.dhSinglePassStdDhSha224Kdf]: 'sha224',
  [OID.dhSinglePassStdDhSha256Kdf]: 'sha256',
  [OID.dhSinglePassStdDhSha384Kdf]: 'sha384',
  [OID.dhSinglePassStdDhSha512Kdf]: 'sha512',
  // Cofactor DH equals standard DH on the prime curves (cofactor 1), so the same computation serves.
  [OID.dhSinglePassCofactorDhSha1Kdf]: 'sha1',
  [OID.dhSinglePassCofactorDhSha224Kdf]: 'sha224',
  [OID.dhSinglePassCofactorDhSha256Kdf]: 'sha256',
  [OID.dhSinglePassCofactorDhSha384Kdf]: 'sha384',
  [OID.dhSinglePassCofactorDhSha512Kdf]: 'sha512',
};

export interface KeyWrapInfo {
  name: string;
  /** RFC 3394 AES key wrap (node's id-aesNNN-wrap ciphers) or the RFC 3217 Triple-DES key wrap. */
  kind: 'aes' | '3des';
  nodeCipher: string;
  keyBytes: number;
}

/** Key-encryption key wraps used by key agreement (RFC 3565 §2.3.2, RFC 3370 §4.3.1). */
export const KEY_WRAPS: Record<string, KeyWrapInfo> = {
  [OID.aes128Wrap]: { name: 'AES-128 key wrap', kind: 'aes', nodeCipher: 'id-aes128-wrap', keyBytes: 16 },
  [OID.aes192Wrap]: { name: 'AES-192 key wrap', kind: 'aes', nodeCipher: 'id-aes192-wrap', keyBytes: 24 },
  [OID.aes256Wrap]: { name: 'AES-256 key wrap', kind: 'aes', nodeCipher: 'id-aes256-wrap', keyBytes: 32 },
  [OID.cms3DesWrap]: { name: '3DES key wrap', kind: '3des', nodeCipher: 'des-ede3-cbc', keyBytes: 24 },
};

const KEY_ENCRYPTION_NAMES: Record<string, string> = {
  [OID.rsaEncryption]: 'RSA PKCS#1 v1.5',
  [OID.rsaOaep]: 'RSA-OAEP',
  [OID.dhSinglePassStdDhSha1Kdf]: 'ECDH (X9.63 KDF SHA-1)',
  [OID.dhSinglePassStdDhSha224Kdf]: 'ECDH (X9.63 KDF SHA-224)',
  [OID.dhSinglePassStdDhSha256Kdf]: 'ECDH (X9.63 KDF SHA-256)',
  [OID.dhSinglePassStdDhSha384Kdf]: 'ECDH (X9.63 KDF SHA-384)',
  [OID.dhSinglePassStdDhSha512Kdf]: 'ECDH (X9.63 KDF SHA-512)',
  [OID.dhSinglePassCofactorDhSha1Kdf]: 'ECDH cofactor (X9.63 KDF SHA-1)',
  [OID.dhSinglePassCofactorDhSha224Kdf]: 'ECDH cofactor (X9.63 KDF SHA-224)',
  [OID.dhSinglePassCofactorDhSha256Kdf]: 'ECDH cofactor (X9.63 KDF SHA-256)',
  [OID.dhSinglePassCofactorDhSha384Kdf]: 'ECDH cofactor (X9.63 KDF SHA-384)',
  [OID.dhSinglePassCofactorDhSha512Kdf]: 'ECDH cofactor (X9.63 KDF SHA-512)',
  [OID.aes128Wrap]: 'AES-128 key wrap',
  [OID.aes192Wrap]: 'AES-192 key wrap',
  [OID.aes256Wrap]: 'AES-256 key wrap',
  [OID.cms3DesWrap]: '3DES key wrap',
  [OID.cmsRc2Wrap]: 'RC2 key wrap',
  [OID.pwriKek]: 'password (PWRI-KEK)',
};

export function keyEncryptionName(oid: string): string {
  return KEY_ENCRYPTION_NAMES[oid] ?? oidName(oid);
}

/** Node's hash name for the digest OIDs allowed in RSAES-OAEP-params (RFC 4055 §4.1, RFC 8017 App. A.2.1). */
export const OAEP_HASH_BY_OID: Record<string, HashName> = {
  [OID.sha1]: 'sha1',
  [OID.sha224]: 'sha224',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};
