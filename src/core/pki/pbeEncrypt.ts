/**
 * Password-based encryption for the PKCS#12 writer: PBES2 (RFC 8018 §6.2) with PBKDF2-HMAC-SHA256 and
 * AES-256-CBC, as OpenSSL 3 writes by default, and the legacy pbeWithSHAAnd3-KeyTripleDES-CBC
 * (RFC 7292 Appendix C) that older importers (gpgsm 2.2, old Outlook) need. keys/pbe.ts reads both.
 */
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { OID } from '../asn1/oids';
import { PKCS12_KDF_IV, PKCS12_KDF_KEY, pkcs12Kdf } from '../keys/pkcs12Kdf';
import { integer, nullValue, octetString, oid, sequence, type DerElement } from '../asn1/derWriter';
import { algorithmIdentifier } from './der';

/** OpenSSL's PKCS5_SALT_LEN; RFC 8018 §4.1 asks for at least 64 bits. */
export const PBE_SALT_BYTES = 8;

export interface PasswordEncrypted {
  /** The AlgorithmIdentifier DER naming the scheme and its parameters. */
  algorithm: DerElement;
  ciphertext: Buffer;
}

function cbcEncrypt(cipher: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = createCipheriv(cipher, key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/**
 * PBES2 with PBKDF2 (PRF hmacWithSHA256) and AES-256-CBC. The password enters PBKDF2 as its UTF-8 bytes, as
 * OpenSSL and NSS do for PBES2 inside PKCS#12.
 */
export function encryptPbes2(data: Buffer, password: string, iterations: number): PasswordEncrypted {
  const salt = randomBytes(PBE_SALT_BYTES);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  // PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1 }
  const kdf = algorithmIdentifier(OID.pbkdf2, sequence(octetString(salt), integer(iterations), algorithmIdentifier(OID.hmacWithSha256, nullValue())));
  // AES-CBC parameters are the IV as an OCTET STRING (RFC 3565 §4.1 / NIST CSOR).
  const scheme = algorithmIdentifier(OID.aes256Cbc, octetString(iv));
  return { algorithm: algorithmIdentifier(OID.pbes2, sequence(kdf, scheme)), ciphertext: cbcEncrypt('aes-256-cbc', key, iv, data) };
}

/** pbeWithSHAAnd3-KeyTripleDES-CBC: key and IV from the PKCS#12 KDF over the BMPString password (RFC 7292 B.2, C). */
export function encryptPkcs12TripleDes(data: Buffer, bmpPassword: Buffer, iterations: number): PasswordEncrypted {
  const salt = randomBytes(PBE_SALT_BYTES);
  const key = pkcs12Kdf(bmpPassword, salt, PKCS12_KDF_KEY, iterations, 24, 'sha1');
  const iv = pkcs12Kdf(bmpPassword, salt, PKCS12_KDF_IV, iterations, 8, 'sha1');
  // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } (RFC 7292 Appendix C).
  const algorithm = sequence(oid(OID.pbeWithShaAnd3KeyTripleDesCbc), sequence(octetString(salt), integer(iterations)));
  return { algorithm, ciphertext: cbcEncrypt('des-ede3-cbc', key, iv, data) };
}
