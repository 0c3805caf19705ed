/**
 * The digest and signature algorithms of a SignerInfo for a given private key, with their AlgorithmIdentifiers
 * as peers write them, and the node:crypto call that makes the signature.
 *
 * - RSA PKCS#1 v1.5: signatureAlgorithm rsaEncryption with NULL parameters (RFC 3370 §3.2), as OpenSSL
 *   writes it; every peer reads it.
 * - RSASSA-PSS (RFC 4056): parameters always explicit, MGF1 with the same hash, salt = digest length
 *   (gpgsm refuses OpenSSL's maximum salt). Hash identifiers carry NULL, as OpenSSL writes them.
 * - ECDSA (RFC 5753 §2.1.1, RFC 5758 §3.2): ecdsa-with-SHAxxx without parameters, DER signature value.
 * - Ed25519 (RFC 8419 §3): digestAlgorithm SHA-512, signatureAlgorithm id-Ed25519 without parameters,
 *   pure EdDSA over the DER signed attributes.
 * Digest identifiers are written without parameters (RFC 5754 §2).
 */
import { constants, sign, type KeyObject } from 'node:crypto';
import { OID } from '../../asn1/oids';
import { contextExplicit, integer, nullValue, oid, sequence, type DerElement } from '../../asn1/derWriter';
import { BuildError } from './buildError';
import { algorithmIdentifier } from './common';
import type { SigningDigestName } from '../../digests';


const DIGEST_OID: Record<SigningDigestName, string> = { sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512 };
const DIGEST_BYTES: Record<SigningDigestName, number> = { sha256: 32, sha384: 48, sha512: 64 };
const ECDSA_OID: Record<SigningDigestName, string> = { sha256: OID.ecdsaWithSha256, sha384: OID.ecdsaWithSha384, sha512: OID.ecdsaWithSha512 };

/** A hash as strong as the curve (RFC 5480 §4, RFC 5753 §2.1.1) when the caller names none. */
const ECDSA_DEFAULT_DIGEST: Record<string, SigningDigestName> = { prime256v1: 'sha256', secp384r1: 'sha384', secp521r1: 'sha512' };

export interface SignerAlgorithms {
  digest: SigningDigestName;
  digestAlgorithm: DerElement;
  signatureAlgorithm: DerElement;
  /** Signs the DER signed attributes. */
  sign(data: Buffer): Buffer;
}

/** The digest a signer uses: the requested one, or the default for its key (SHA-512 for Ed25519). */
export function signerDigest(privateKey: KeyObject, requested?: SigningDigestName): SigningDigestName {
  const type = privateKey.asymmetricKeyType;
  if (type === 'ed25519') {
    if (requested && requested !== 'sha512') {
      throw new BuildError('unsupported-digest', `Ed25519 signatures use SHA-512 (RFC 8419 §3.1), not ${requested}`);
    }
    return 'sha512';
  }
  if (requested) return requested;
  if (type === 'ec') return ECDSA_DEFAULT_DIGEST[privateKey.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'sha256';
  return 'sha256';
}

function hashIdentifierWithNull(digest: SigningDigestName): DerElement {
  return algorithmIdentifier(DIGEST_OID[digest], nullValue());
}

/** RSASSA-PSS-params (RFC 4055 §3.1) with every field explicit except the trailer (DEFAULT 1). */
function pssParameters(digest: SigningDigestName): DerElement {
  return sequence(
    contextExplicit(0, hashIdentifierWithNull(digest)),
    contextExplicit(1, algorithmIdentifier(OID.mgf1, hashIdentifierWithNull(digest))),
    contextExplicit(2, integer(DIGEST_BYTES[digest])),
  );
}

function rsaAlgorithms(privateKey: KeyObject, digest: SigningDigestName, pss: boolean): Omit<SignerAlgorithms, 'digest' | 'digestAlgorithm'> {
  if (pss) {
    const saltLength = DIGEST_BYTES[digest];
    return {
      signatureAlgorithm: algorithmIdentifier(OID.rsaPss, pssParameters(digest)),
      sign: (data) => sign(digest, data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }),
    };
  }
  return {
    signatureAlgorithm: algorithmIdentifier(OID.rsaEncryption, nullValue()),
    sign: (data) => sign(digest, data, { key: privateKey, padding: constants.RSA_PKCS1_PADDING }),
  };
}

/** The algorithms for `privateKey`. Throws BuildError for keys we cannot sign with. */
export function signerAlgorithms(privateKey: KeyObject, requested: SigningDigestName | undefined, pss: boolean): SignerAlgorithms {
  const type = privateKey.asymmetricKeyType;
  const digest = signerDigest(privateKey, requested);
  const digestAlgorithm = sequence(oid(DIGEST_OID[digest]));
  if (pss && type !== 'rsa' && type !== 'rsa-pss') throw new BuildError('unsupported-key', `RSASSA-PSS needs an RSA key, not ${type}`);
  switch (type) {
    case 'rsa':
      return { digest, digestAlgorithm, ...rsaAlgorithms(privateKey, digest, pss) };
    case 'rsa-pss':
      // An id-RSASSA-PSS key may only make PSS signatures (RFC 4055 §1.2).
      return { digest, digestAlgorithm, ...rsaAlgorithms(privateKey, digest, true) };
    case 'ec':
      return {
        digest,
        digestAlgorithm,
        signatureAlgorithm: algorithmIdentifier(ECDSA_OID[digest]),
        sign: (data) => sign(digest, data, { key: privateKey, dsaEncoding: 'der' }),
      };
    case 'ed25519':
      return { digest, digestAlgorithm, signatureAlgorithm: algorithmIdentifier(OID.ed25519), sign: (data) => sign(null, data, privateKey) };
    default:
      throw new BuildError('unsupported-key', `cannot sign with a ${type ?? privateKey.type} key (RSA, RSA-PSS, ECDSA and Ed25519 are supported)`);
  }
}
