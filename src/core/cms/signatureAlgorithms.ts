/**
 * Mapping CMS signature algorithm identifiers (RFC 3370, RFC 4056, RFC 5753/5754, RFC 8419) to node:crypto
 * verify parameters.
 */
import { constants } from 'node:crypto';
import { DIGEST_BY_OID, OID } from '../asn1/oids';
import { DIGEST_BY_SIGNATURE, parsePssParameters } from '../x509/signatureAlgorithm';
import type { AlgorithmIdentifier } from './signedData';
import type { DigestName } from '../digests';

/** A digest node:crypto knows by name (one type for signatures, certificates and CRLs). */

export type SignatureScheme =
  | { kind: 'rsa-pkcs1'; hash: DigestName; name: string }
  | { kind: 'rsa-pss'; hash: DigestName; saltLength: number; name: string }
  | { kind: 'ecdsa'; hash: DigestName; name: string }
  | { kind: 'dsa'; hash: DigestName; name: string }
  | { kind: 'eddsa'; name: string }
  | { kind: 'unsupported'; name: string; why: string };


const DIGEST_LABEL: Record<DigestName, string> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha224: 'SHA-224',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

export function digestLabel(oid: string): string {
  const d = DIGEST_BY_OID[oid];
  return d ? DIGEST_LABEL[d] : oid;
}

export function digestName(oid: string): DigestName | undefined {
  return DIGEST_BY_OID[oid];
}

/** RSASSA-PSS-params (RFC 4055 §3.1): defaults are SHA-1, MGF1-SHA-1 and a 20-byte salt. */
function pssScheme(alg: AlgorithmIdentifier): SignatureScheme {
  const pss = parsePssParameters(alg.params);
  if (!pss) return { kind: 'unsupported', name: 'RSASSA-PSS', why: 'unreadable or unknown RSASSA-PSS parameters' };
  // node:crypto uses the signature hash for MGF1 as well; a different MGF1 hash cannot be checked.
  if (pss.hash !== pss.mgf1Hash) return { kind: 'unsupported', name: 'RSASSA-PSS', why: 'MGF1 hash differs from the PSS hash' };
  return { kind: 'rsa-pss', hash: pss.hash, saltLength: pss.saltLength, name: `RSASSA-PSS (${DIGEST_LABEL[pss.hash]}, salt ${pss.saltLength})` };
}

/**
 * The scheme for a SignerInfo. RFC 5652 §5.3 allows the "plain" key algorithm OIDs (rsaEncryption,
 * id-ecPublicKey) as signatureAlgorithm; then the SignerInfo's digestAlgorithm gives the hash.
 */
export function signatureScheme(signatureAlgorithm: AlgorithmIdentifier, digestAlgorithmOid: string): SignatureScheme {
  const oid = signatureAlgorithm.oid;
  const digest = digestName(digestAlgorithmOid);
  const hashed = DIGEST_BY_SIGNATURE[oid];
  if (oid === OID.rsaPss) return pssScheme(signatureAlgorithm);
  if (oid === OID.ed25519) return { kind: 'eddsa', name: 'Ed25519' };
  if (oid === OID.ed448) return { kind: 'eddsa', name: 'Ed448' };
  const hash = hashed ?? digest;
  if (!hash) return { kind: 'unsupported', name: oid, why: `unknown digest algorithm ${digestAlgorithmOid}` };
  if (oid === OID.rsaEncryption || (hashed && oid.startsWith('1.2.840.113549.1.1.'))) {
    return { kind: 'rsa-pkcs1', hash, name: `RSA PKCS#1 v1.5 with ${DIGEST_LABEL[hash]}` };
  }
  if (oid === OID.ecPublicKey || oid.startsWith('1.2.840.10045.4.')) {
    return { kind: 'ecdsa', hash, name: `ECDSA with ${DIGEST_LABEL[hash]}` };
  }
  if (oid === OID.dsa || oid === OID.dsaWithSha1 || oid.startsWith('2.16.840.1.101.3.4.3.')) {
    return { kind: 'dsa', hash, name: `DSA with ${DIGEST_LABEL[hash]}` };
  }
  return { kind: 'unsupported', name: oid, why: `unsupported signature algorithm ${oid}` };
}

/** Arguments for crypto.verify(hash, data, key, signature). */
export function verifyParams(scheme: SignatureScheme): { hash: string | null; options: Record<string, unknown> } {
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return { hash: scheme.hash, options: { padding: constants.RSA_PKCS1_PADDING } };
    case 'rsa-pss':
      return { hash: scheme.hash, options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength } };
    case 'ecdsa':
    case 'dsa':
      return { hash: scheme.hash, options: { dsaEncoding: 'der' } };
    case 'eddsa':
      return { hash: null, options: {} };
    default:
      throw new Error('unsupported scheme');
  }
}

/** The hash a scheme depends on (EdDSA has none of its own; RFC 8419 signed attributes use SHA-512). */
export function schemeHash(scheme: SignatureScheme): DigestName | undefined {
  return 'hash' in scheme ? scheme.hash : undefined;
}
