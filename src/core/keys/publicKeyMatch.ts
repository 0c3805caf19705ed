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
 * True when `privateKey` belongs to `cert`: both public keys, re-encoded by OpenSSL as SubjectPublicKeyInfo,
 * are byte-equal (so encodings that differ only in optional parameters still match).
 */
export function publicKeysMatch(privateKey: KeyObject, cert: Certificate): boolean {
  if (knownPairs.get(privateKey)?.has(cert)) return true;
  try {
    const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    // Usually the certificate's own SubjectPublicKeyInfo is already OpenSSL's encoding; only when it is not is
    // the certificate's key re-encoded too.
    if (!fromKey.equals(cert.spkiDer) && !fromKey.equals(cert.publicKey.export({ type: 'spki', format: 'der' }))) return false;
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
