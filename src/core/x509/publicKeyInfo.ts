/** The type, size and curve of a certificate's public key (RFC 5280 §4.1.2.7), for display. */
import { Tag, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import type { Certificate } from './certificate';

export type PublicKeyType = 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'X25519' | 'X448' | 'DH' | string;

export interface PublicKeyInfo {
  type: PublicKeyType;
  /** Modulus size for RSA/DSA, field size for EC, raw key length for Ed25519/Ed448 (256/456). */
  bits?: number;
  /** NIST name where there is one ('P-256'), else OpenSSL's curve name or the dotted OID. */
  curve?: string;
  /** The SubjectPublicKeyInfo algorithm OID. */
  algorithmOid: string;
}

const TYPE_BY_OID: Record<string, PublicKeyType> = {
  [OID.rsaEncryption]: 'RSA',
  [OID.rsaPss]: 'RSA-PSS',
  [OID.ecPublicKey]: 'EC',
  [OID.ed25519]: 'Ed25519',
  [OID.ed448]: 'Ed448',
  [OID.x25519]: 'X25519',
  [OID.dsa]: 'DSA',
  '1.2.840.10046.2.1': 'DH',
};

const CURVE_BY_OID: Record<string, string> = {
  [OID.p256]: 'P-256',
  [OID.p384]: 'P-384',
  [OID.p521]: 'P-521',
  '1.3.132.0.10': 'secp256k1',
  '1.3.36.3.3.2.8.1.1.7': 'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.11': 'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.13': 'brainpoolP512r1',
};

const CURVE_BY_OPENSSL_NAME: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

const BITS_BY_CURVE: Record<string, number> = {
  'P-256': 256,
  'P-384': 384,
  'P-521': 521,
  secp256k1: 256,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

export function publicKeyInfo(cert: Certificate): PublicKeyInfo {
  const info: PublicKeyInfo = { type: TYPE_BY_OID[cert.publicKeyAlgorithm] ?? cert.publicKeyAlgorithm, algorithmOid: cert.publicKeyAlgorithm };
  if (cert.publicKeyCurve) info.curve = CURVE_BY_OID[cert.publicKeyCurve] ?? cert.publicKeyCurve;
  let details: { modulusLength?: number; namedCurve?: string } | undefined;
  try {
    details = cert.publicKey.asymmetricKeyDetails;
  } catch {
    // OpenSSL cannot load every key (e.g. DSA keys whose parameters are inherited from the issuer, RFC 3279 §2.3.2).
  }
  if (details?.modulusLength) info.bits = details.modulusLength;
  if (info.type === 'EC') {
    if (!info.curve && details?.namedCurve) info.curve = CURVE_BY_OPENSSL_NAME[details.namedCurve] ?? details.namedCurve;
    if (info.curve) info.bits = BITS_BY_CURVE[info.curve];
  }
  if (info.type === 'Ed25519' || info.type === 'Ed448' || info.type === 'X25519') info.bits = cert.publicKeyBits.length * 8;
  if (info.bits === undefined) info.bits = primeBits(cert);
  return info;
}

/** DSA and DH keys carry their prime p first in the algorithm parameters (RFC 3279 §2.3.2, §2.3.3). */
function primeBits(cert: Certificate): number | undefined {
  try {
    const p = parseDer(cert.spkiDer).child(0).children[1]?.children[0];
    if (!p?.is(Tag.integer)) return undefined;
    let v = p.value;
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    return (v.length - 1) * 8 + (32 - Math.clz32(v[0]));
  } catch {
    return undefined;
  }
}
