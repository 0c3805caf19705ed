/**
 * Signature AlgorithmIdentifiers of certificates and CRLs: readable names and verification with node:crypto.
 * Node's X509Certificate.verify only covers certificates; CRLs (RFC 5280 §5.1.1.2) need this.
 */
import { constants, verify, type KeyObject } from 'node:crypto';
import { Asn1Node, Tag, decodeOid, decodeSmallInteger } from '../asn1/der';
import { DIGEST_BY_OID, OID } from '../asn1/oids';
import type { DigestName } from '../digests';


/** OpenSSL's long names, which is what `openssl x509 -text` prints and what users search for. */
const SIGNATURE_NAMES: Record<string, string> = {
  [OID.md5WithRSA]: 'md5WithRSAEncryption',
  [OID.sha1WithRSA]: 'sha1WithRSAEncryption',
  [OID.sha224WithRSA]: 'sha224WithRSAEncryption',
  [OID.sha256WithRSA]: 'sha256WithRSAEncryption',
  [OID.sha384WithRSA]: 'sha384WithRSAEncryption',
  [OID.sha512WithRSA]: 'sha512WithRSAEncryption',
  [OID.ecdsaWithSha1]: 'ecdsa-with-SHA1',
  [OID.ecdsaWithSha224]: 'ecdsa-with-SHA224',
  [OID.ecdsaWithSha256]: 'ecdsa-with-SHA256',
  [OID.ecdsaWithSha384]: 'ecdsa-with-SHA384',
  [OID.ecdsaWithSha512]: 'ecdsa-with-SHA512',
  [OID.dsaWithSha1]: 'dsaWithSHA1',
  [OID.dsaWithSha224]: 'dsa_with_SHA224',
  [OID.dsaWithSha256]: 'dsa_with_SHA256',
  [OID.ed25519]: 'ED25519',
  [OID.ed448]: 'ED448',
};

/** The digest each classic signature OID implies (RFC 4055 §5, RFC 5758 §3.2, RFC 3279 §2.2). */
export const DIGEST_BY_SIGNATURE: Record<string, DigestName> = {
  [OID.md5WithRSA]: 'md5',
  [OID.sha1WithRSA]: 'sha1',
  [OID.sha224WithRSA]: 'sha224',
  [OID.sha256WithRSA]: 'sha256',
  [OID.sha384WithRSA]: 'sha384',
  [OID.sha512WithRSA]: 'sha512',
  [OID.ecdsaWithSha1]: 'sha1',
  [OID.ecdsaWithSha224]: 'sha224',
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
  [OID.dsaWithSha1]: 'sha1',
  [OID.dsaWithSha224]: 'sha224',
  [OID.dsaWithSha256]: 'sha256',
};

export interface PssParameters {
  hash: DigestName;
  /** The MGF1 hash; node:crypto can only check PSS when it equals `hash`. */
  mgf1Hash: DigestName;
  saltLength: number;
}

/** RSASSA-PSS-params (RFC 4055 §3.1); every field has a SHA-1 / 20-byte default. */
export function parsePssParameters(params: Asn1Node | undefined): PssParameters | undefined {
  const result: PssParameters = { hash: 'sha1', mgf1Hash: 'sha1', saltLength: 20 };
  if (!params || params.is(Tag.null)) return result;
  try {
    for (const field of params.children) {
      if (field.isContext(0)) {
        const hash = DIGEST_BY_OID[decodeOid(field.child(0).child(0))];
        if (!hash) return undefined;
        result.hash = hash;
      } else if (field.isContext(1)) {
        // MaskGenAlgorithm: id-mgf1 with the hash AlgorithmIdentifier as its parameter.
        const mgf1Hash = DIGEST_BY_OID[decodeOid(field.child(0).child(1).child(0))];
        if (!mgf1Hash) return undefined;
        result.mgf1Hash = mgf1Hash;
      } else if (field.isContext(2)) {
        result.saltLength = decodeSmallInteger(field.child(0));
      }
    }
    return result;
  } catch {
    return undefined;
  }
}

/** A readable name such as 'sha256WithRSAEncryption' or 'RSASSA-PSS (SHA-256)'; the dotted OID if unknown. */
export function signatureAlgorithmName(oid: string, params?: Asn1Node): string {
  if (oid === OID.rsaPss) {
    const pss = parsePssParameters(params);
    return pss ? `RSASSA-PSS (${pss.hash.toUpperCase().replace('SHA', 'SHA-')})` : 'RSASSA-PSS';
  }
  return SIGNATURE_NAMES[oid] ?? oid;
}

/**
 * Verifies `signature` over `data` with the algorithm named by `oid` (+ `params` for RSASSA-PSS).
 * Returns false for unsupported algorithms and malformed signatures rather than throwing.
 */
export function verifyWithAlgorithm(oid: string, params: Asn1Node | undefined, data: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    if (oid === OID.ed25519 || oid === OID.ed448) return verify(null, data, key, signature);
    if (oid === OID.rsaPss) {
      const pss = parsePssParameters(params);
      if (!pss || pss.mgf1Hash !== pss.hash) return false;
      return verify(pss.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature);
    }
    const digest = DIGEST_BY_SIGNATURE[oid];
    if (!digest) return false;
    return verify(digest, data, key, signature);
  } catch {
    return false;
  }
}

/** The AlgorithmIdentifier parameters node (RFC 5280 §4.1.1.2), if present. */
export function algorithmParameters(algorithmIdentifier: Asn1Node): Asn1Node | undefined {
  return algorithmIdentifier.children[1];
}
