/**
 * KeyTransRecipientInfo (RFC 5652 §6.2.1) for RSA recipients: the content-encryption key encrypted with
 * RSAES-PKCS1-v1_5 (RFC 3370 §4.2.1; the one every peer reads) or RSAES-OAEP with SHA-256 and MGF1-SHA-256
 * (RFC 3560, RFC 8017 §7.1). Node still allows v1.5 for public-key encryption; only private decryption is
 * restricted (CVE-2023-46809).
 */
import { constants, publicEncrypt } from 'node:crypto';
import { OID } from '../../asn1/oids';
import { contextExplicit, integer, nullValue, octetString, oid, sequence, type DerElement } from '../../asn1/derWriter';
import type { Certificate } from '../../x509/certificate';
import { BuildError } from './buildError';
import { algorithmIdentifier, issuerAndSerialNumber } from './common';

/**
 * RSAES-OAEP-params (RFC 4055 §4.1) for SHA-256: hashAlgorithm [0] and maskGenAlgorithm [1] explicit (their
 * defaults are SHA-1), pSourceAlgorithm left at its default (empty label). Hash identifiers without
 * parameters, as OpenSSL writes them.
 */
function oaepSha256Parameters(): DerElement {
  const sha256 = sequence(oid(OID.sha256));
  return sequence(contextExplicit(0, sha256), contextExplicit(1, algorithmIdentifier(OID.mgf1, sha256)));
}

/** Encrypts `cek` to the RSA key of `cert`. Throws BuildError('bad-recipient') when the key refuses it. */
export function keyTransRecipientInfo(cert: Certificate, cek: Buffer, oaep: boolean): DerElement {
  let encryptedKey: Buffer;
  try {
    encryptedKey = oaep
      ? publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek)
      : publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING }, cek);
  } catch (e) {
    throw new BuildError('bad-recipient', `cannot encrypt to the RSA key of ${cert.subject.text}: ${(e as Error).message}`);
  }
  const keyEncryptionAlgorithm = oaep
    ? algorithmIdentifier(OID.rsaOaep, oaepSha256Parameters())
    : algorithmIdentifier(OID.rsaEncryption, nullValue());
  // Version 0: the recipient is named by issuerAndSerialNumber (RFC 5652 §6.2.1).
  return sequence(integer(0), issuerAndSerialNumber(cert), keyEncryptionAlgorithm, octetString(encryptedKey));
}
