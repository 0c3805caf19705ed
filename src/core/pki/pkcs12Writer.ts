/**
 * Writes PKCS#12 files (RFC 7292) in password privacy and password integrity mode, laid out as OpenSSL does:
 * an EncryptedData holding the certificate bags, then a Data holding the shrouded key bag, then a MAC.
 * Two profiles:
 * - default (OpenSSL 3): PBES2 = PBKDF2-HMAC-SHA256 + AES-256-CBC for both, MAC HMAC-SHA256;
 * - legacy: pbeWithSHAAnd3-KeyTripleDES-CBC for both, MAC HMAC-SHA1 (gpgsm 2.2 and old Outlook read only this).
 */
import { createHash, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { OID } from '../asn1/oids';
import { PKCS12_KDF_MAC, pkcs12Kdf, pkcs12PasswordBytes } from '../keys/pkcs12Kdf';
import type { Certificate } from '../x509/certificate';
import { contextExplicit, contextImplicit, integer, nullValue, octetString, oid, sequence, setOf, type DerElement } from '../asn1/derWriter';
import { algorithmIdentifier, bmpString } from './der';
import { PBE_SALT_BYTES, encryptPbes2, encryptPkcs12TripleDes, type PasswordEncrypted } from './pbeEncrypt';

/** PBKDF2 runs natively (~4 ms per 10,000 rounds here), so we use five times OpenSSL 3's default of 2048. */
export const PBKDF2_ITERATIONS = 10_000;
/**
 * OpenSSL's PKCS12_DEFAULT_ITER for the PKCS#12 KDF (MAC and legacy PBE). Our reader runs that KDF one JavaScript
 * hash call per round, and old importers time out on much larger counts.
 */
export const PKCS12_KDF_ITERATIONS = 2048;

export interface Pkcs12Input {
  privateKey: KeyObject;
  certificate: Certificate;
  /** Issuer certificates to include (intermediates, root). */
  chain?: Certificate[];
  passphrase: string;
  /** 3DES + SHA-1 MAC for importers that do not know PBES2. */
  legacy?: boolean;
  /** friendlyName attribute on the key and its certificate (shown by certificate managers). */
  friendlyName?: string;
}

interface Profile {
  encrypt(data: Buffer): PasswordEncrypted;
  macDigest: 'sha256' | 'sha1';
}

function profileFor(input: Pkcs12Input, bmpPassword: Buffer): Profile {
  if (input.legacy) return { encrypt: (d) => encryptPkcs12TripleDes(d, bmpPassword, PKCS12_KDF_ITERATIONS), macDigest: 'sha1' };
  return { encrypt: (d) => encryptPbes2(d, input.passphrase, PBKDF2_ITERATIONS), macDigest: 'sha256' };
}

/** Attribute ::= SEQUENCE { attrId, attrValues SET OF } (RFC 7292 §4.2, PKCS#9 localKeyId and friendlyName). */
function bagAttributes(localKeyId: Buffer | undefined, friendlyName: string | undefined): DerElement[] {
  const attrs: DerElement[] = [];
  if (friendlyName !== undefined) attrs.push(sequence(oid(OID.friendlyName), setOf([bmpString(friendlyName)])));
  if (localKeyId) attrs.push(sequence(oid(OID.localKeyId), setOf([octetString(localKeyId)])));
  return attrs.length ? [setOf(attrs)] : [];
}

/** SafeBag ::= SEQUENCE { bagId, bagValue [0] EXPLICIT, bagAttributes SET OF OPTIONAL } (RFC 7292 §4.2). */
function safeBag(bagId: string, value: DerElement, attributes: DerElement[]): DerElement {
  return sequence(oid(bagId), contextExplicit(0, value), ...attributes);
}

/** CertBag ::= SEQUENCE { certId x509Certificate, certValue [0] EXPLICIT OCTET STRING } (RFC 7292 §4.2.3). */
function certBag(cert: Certificate, attributes: DerElement[]): DerElement {
  return safeBag(OID.certBag, sequence(oid(OID.x509Certificate), contextExplicit(0, octetString(cert.der))), attributes);
}

/** ContentInfo carrying plain Data (RFC 5652 §4, §5). */
function dataContentInfo(content: Buffer): DerElement {
  return sequence(oid(OID.data), contextExplicit(0, octetString(content)));
}

/** EncryptedData ::= SEQUENCE { version 0, EncryptedContentInfo } with [0] IMPLICIT encryptedContent (RFC 5652 §8). */
function encryptedDataContentInfo(content: Buffer, profile: Profile): DerElement {
  const { algorithm, ciphertext } = profile.encrypt(content);
  const encryptedContentInfo = sequence(oid(OID.data), algorithm, contextImplicit(0, octetString(ciphertext)));
  return sequence(oid(OID.encryptedData), contextExplicit(0, sequence(integer(0), encryptedContentInfo)));
}

/** MacData ::= SEQUENCE { mac DigestInfo, macSalt, iterations } with the key from the PKCS#12 KDF, ID 3 (RFC 7292 §4, B.4). */
function macData(authSafe: Buffer, bmpPassword: Buffer, digest: 'sha256' | 'sha1'): DerElement {
  const salt = randomBytes(PBE_SALT_BYTES);
  const length = digest === 'sha256' ? 32 : 20;
  const key = pkcs12Kdf(bmpPassword, salt, PKCS12_KDF_MAC, PKCS12_KDF_ITERATIONS, length, digest);
  const mac = createHmac(digest, key).update(authSafe).digest();
  const digestOid = digest === 'sha256' ? OID.sha256 : OID.sha1;
  return sequence(sequence(algorithmIdentifier(digestOid, nullValue()), octetString(mac)), octetString(salt), integer(PKCS12_KDF_ITERATIONS));
}

/**
 * A PFX holding the key (pkcs8ShroudedKeyBag), its certificate and the chain. The key and its certificate share
 * a localKeyId (SHA-1 of the certificate, as OpenSSL sets it) so importers pair them.
 */
export function writePkcs12(input: Pkcs12Input): Buffer {
  const bmpPassword = pkcs12PasswordBytes(input.passphrase);
  const profile = profileFor(input, bmpPassword);
  const localKeyId = createHash('sha1').update(input.certificate.der).digest();
  const certBags = [
    certBag(input.certificate, bagAttributes(localKeyId, input.friendlyName)),
    ...(input.chain ?? []).map((c) => certBag(c, [])),
  ];
  const pkcs8 = input.privateKey.export({ type: 'pkcs8', format: 'der' });
  const shrouded = profile.encrypt(pkcs8);
  // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING } (RFC 5208 §6).
  const keyBag = safeBag(OID.pkcs8ShroudedKeyBag, sequence(shrouded.algorithm, octetString(shrouded.ciphertext)), bagAttributes(localKeyId, input.friendlyName));
  const certContents = sequence(...certBags).toBuffer();
  const authSafe = sequence(encryptedDataContentInfo(certContents, profile), dataContentInfo(sequence(keyBag).toBuffer())).toBuffer();
  return sequence(integer(3), dataContentInfo(authSafe), macData(authSafe, bmpPassword, profile.macDigest)).toBuffer();
}
