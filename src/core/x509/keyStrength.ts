/**
 * Whether a certificate's public key is strong enough to mean anything (RFC 8551 §6; CA/Browser Forum S/MIME
 * Baseline Requirements §6.1.5: RSA of at least 2048 bits, ECDSA on P-256 or larger; DSA is not allowed):
 * - `weak`: RSA under 2048 bits, an EC field under 256 bits, any DSA key. Signatures are checked, but a weak key
 *   anywhere in the chain keeps the verdict from being valid.
 * - `refused`: RSA under 1024 bits (factored in public), and RSA public exponents that are even, below 3 or above
 *   2^32. Such a key is never used: e = 1 makes any "signature" verify, and an exponent of thousands of bits makes
 *   each verification cost milliseconds, which crafted chains multiply (real keys use 65537, RFC 8017 §3.1 allows
 *   any odd e ≥ 3; OpenSSL, NSS and the CA/B rules stay below 2^32).
 */
import { OID } from '../asn1/oids';
import type { Certificate } from './certificate';
import { publicKeyInfo } from './publicKeyInfo';

export const MIN_RSA_BITS = 2048;
export const REFUSED_RSA_BITS = 1024;
export const MIN_EC_FIELD_BITS = 256;
export const MAX_RSA_PUBLIC_EXPONENT = 2n ** 32n;

export interface KeyWeakness {
  level: 'weak' | 'refused';
  message: string;
}

const RSA_OIDS: readonly string[] = [OID.rsaEncryption, OID.rsaPss];

function rsaWeakness(cert: Certificate): KeyWeakness | undefined {
  let details: { modulusLength?: number; publicExponent?: bigint };
  try {
    details = cert.publicKey.asymmetricKeyDetails ?? {};
  } catch (e) {
    return { level: 'refused', message: `the RSA key cannot be read: ${(e as Error).message}` };
  }
  const bits = details.modulusLength ?? 0;
  const e = details.publicExponent ?? 0n;
  if (e < 3n || e % 2n === 0n || e > MAX_RSA_PUBLIC_EXPONENT) {
    return { level: 'refused', message: `RSA public exponent ${e > 1n << 64n ? `of ${e.toString(2).length} bits` : e} is refused (odd, 3 to 2^32 allowed)` };
  }
  if (bits < REFUSED_RSA_BITS) return { level: 'refused', message: `RSA key of ${bits} bits is far too small (under ${REFUSED_RSA_BITS} bits)` };
  if (bits < MIN_RSA_BITS) return { level: 'weak', message: `RSA key of ${bits} bits is weak (under ${MIN_RSA_BITS} bits)` };
  return undefined;
}

/** Field size of an EC public key from its encoded point (SEC 1 §2.3.3): 04||X||Y or 02/03||X. Works for
 *  every named curve, including those we have no name for. */
function ecFieldBits(cert: Certificate): number {
  const point = cert.publicKeyBits;
  if (point.length < 2) return 0;
  const coordinate = point[0] === 0x04 ? (point.length - 1) / 2 : point.length - 1;
  return Math.floor(coordinate) * 8;
}

const judged = new WeakMap<Certificate, KeyWeakness | null>();

/** The weakness of `cert`'s key, or undefined when it is strong enough. */
export function keyWeakness(cert: Certificate): KeyWeakness | undefined {
  let found = judged.get(cert);
  if (found === undefined) judged.set(cert, (found = judge(cert) ?? null));
  return found ?? undefined;
}

function judge(cert: Certificate): KeyWeakness | undefined {
  const algorithm = cert.publicKeyAlgorithm;
  if (RSA_OIDS.includes(algorithm)) return rsaWeakness(cert);
  if (algorithm === OID.dsa) return { level: 'weak', message: `DSA key (${publicKeyInfo(cert).bits ?? '?'} bits): DSA is not allowed for S/MIME` };
  if (algorithm === OID.ecPublicKey) {
    const bits = ecFieldBits(cert);
    if (bits < MIN_EC_FIELD_BITS) return { level: 'weak', message: `EC key on a ${bits}-bit curve is weak (under ${MIN_EC_FIELD_BITS} bits)` };
  }
  return undefined;
}

/** True when the key may be used for a public-key operation at all. */
export function keyUsable(cert: Certificate): boolean {
  return keyWeakness(cert)?.level !== 'refused';
}
