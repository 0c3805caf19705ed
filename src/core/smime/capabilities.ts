/** Readable names for the algorithms a signer lists in SMIMECapabilities (RFC 8551 §2.5.2). */
import { OID, oidName } from '../asn1/oids';

const CAPABILITY_NAMES: Record<string, string> = {
  [OID.aes256Gcm]: 'AES-256-GCM',
  [OID.aes192Gcm]: 'AES-192-GCM',
  [OID.aes128Gcm]: 'AES-128-GCM',
  [OID.aes256Cbc]: 'AES-256-CBC',
  [OID.aes192Cbc]: 'AES-192-CBC',
  [OID.aes128Cbc]: 'AES-128-CBC',
  [OID.desEde3Cbc]: '3DES-CBC',
  [OID.desCbc]: 'DES-CBC',
  [OID.rc2Cbc]: 'RC2-CBC',
  [OID.rsaEncryption]: 'RSA',
  [OID.rsaOaep]: 'RSAES-OAEP',
  [OID.rsaPss]: 'RSASSA-PSS',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
  [OID.sha1]: 'SHA-1',
  [OID.ed25519]: 'Ed25519',
  [OID.ecdsaWithSha256]: 'ECDSA with SHA-256',
  [OID.ecdsaWithSha384]: 'ECDSA with SHA-384',
  [OID.ecdsaWithSha512]: 'ECDSA with SHA-512',
  [OID.sha256WithRSA]: 'RSA with SHA-256',
  [OID.sha384WithRSA]: 'RSA with SHA-384',
  [OID.sha512WithRSA]: 'RSA with SHA-512',
  [OID.dhSinglePassStdDhSha256Kdf]: 'ECDH (SHA-256 KDF)',
  [OID.dhSinglePassStdDhSha384Kdf]: 'ECDH (SHA-384 KDF)',
  [OID.dhSinglePassStdDhSha512Kdf]: 'ECDH (SHA-512 KDF)',
  [OID.aes128Wrap]: 'AES-128 key wrap',
  [OID.aes256Wrap]: 'AES-256 key wrap',
};

export function capabilityName(capability: { oid: string; bits?: number }): string {
  const name = CAPABILITY_NAMES[capability.oid] ?? oidName(capability.oid);
  return capability.bits === undefined ? name : `${name} (${capability.bits} bit)`;
}
