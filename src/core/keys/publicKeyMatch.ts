/** Pairing private keys with certificates, and ordering loose certificates into a chain. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Certificate } from '../x509/certificate';

/** MAX_CHAIN_LENGTH of chain.ts, repeated so keys/ does not depend on the validator. */
const MAX_ORDERED_CHAIN = 10;

/**
 * Pairs already found to match. Keys and certificates are immutable, and a signing run checks the same pair when
 * the identity is loaded and again when the signature is built (each check re-encodes both keys).
 */
const knownPairs = new WeakMap<KeyObject, WeakSet<Certificate>>();

/**
 * The public key as its JWK members (RFC 7518 §6: kty with n and e, or crv with x and y; RFC 8037 §2: crv and x),
 * which name the key itself; undefined for the kinds JWK has no form for (RSA-PSS, DSA, DH) or explicit curve
 * parameters. OpenSSL hands these out directly, where a DER re-encoding first looks up an encoder (0.6 ms).
 */
function jwkParameters(key: KeyObject): string | undefined {
  try {
    const jwk = key.export({ format: 'jwk' });
    if (jwk.kty === 'RSA' ? !jwk.n || !jwk.e : jwk.kty === 'EC' ? !jwk.crv || !jwk.x || !jwk.y : jwk.kty !== 'OKP' || !jwk.crv || !jwk.x) return undefined;
    return JSON.stringify([jwk.kty, jwk.crv, jwk.n, jwk.e, jwk.x, jwk.y]);
  } catch {
    return undefined;
  }
}

/**
 * True when `privateKey` belongs to `cert`: both public keys have the same JWK parameters (the same modulus and
 * exponent, or the same curve and point), or else, for the kinds JWK does not cover, both re-encoded by OpenSSL as
 * SubjectPublicKeyInfo are byte-equal (so encodings that differ only in optional parameters still match).
 */
export function publicKeysMatch(privateKey: KeyObject, cert: Certificate): boolean {
  if (knownPairs.get(privateKey)?.has(cert)) return true;
  try {
    const publicKey = createPublicKey(privateKey);
    const parameters = jwkParameters(publicKey);
    if (parameters === undefined || parameters !== jwkParameters(cert.publicKey)) {
      const fromKey = publicKey.export({ type: 'spki', format: 'der' });
      // Usually the certificate's own SubjectPublicKeyInfo is already OpenSSL's encoding; only when it is not is
      // the certificate's key re-encoded too.
      if (!fromKey.equals(cert.spkiDer) && !fromKey.equals(cert.publicKey.export({ type: 'spki', format: 'der' }))) return false;
    }
  } catch {
    return false;
  }
  const certs = knownPairs.get(privateKey) ?? new WeakSet<Certificate>();
  knownPairs.set(privateKey, certs.add(cert));
  return true;
}

/** `others` reordered so each certificate is followed by its issuer where present; the rest keep their order. */
export function orderChain(leaf: Certificate, others: Certificate[]): Certificate[] {
  const remaining = [...others];
  const ordered: Certificate[] = [];
  let current = leaf;
  while (ordered.length < MAX_ORDERED_CHAIN) {
    if (current.isSelfIssued) break;
    const i = remaining.findIndex((c) => current.isIssuedBy(c));
    if (i < 0) break;
    current = remaining.splice(i, 1)[0];
    ordered.push(current);
  }
  return [...ordered, ...remaining];
}
