/**
 * Key usage checks for S/MIME end-entity certificates (RFC 8550 §4.4.2 keyUsage, §4.4.4 extKeyUsage).
 * An absent extension places no restriction; a present one must allow the operation.
 */
import { OID } from '../asn1/oids';
import type { Certificate } from './certificate';
import { decodeExtKeyUsage, decodeKeyUsage, readExtension, type KeyUsageName } from './extensions';

export type UsageProblemCode = 'key-usage' | 'ext-key-usage';

export interface UsageProblem {
  code: UsageProblemCode;
  message: string;
}

/** extKeyUsage values that allow S/MIME (RFC 8550 §4.4.4: emailProtection, or anyExtendedKeyUsage). */
const SMIME_EKUS: readonly string[] = [OID.emailProtection, OID.anyExtendedKeyUsage];

function checkKeyUsage(cert: Certificate, allowed: KeyUsageName[], purpose: string): UsageProblem[] {
  const read = readExtension(cert, OID.keyUsage, decodeKeyUsage);
  if (!read.present) return [];
  if (!read.value) return [{ code: 'key-usage', message: `${read.error}; cannot tell whether the key may be used for ${purpose}` }];
  if (read.value.some((bit) => allowed.includes(bit))) return [];
  const has = read.value.length ? read.value.join(', ') : 'none';
  return [{ code: 'key-usage', message: `keyUsage (${has}) lacks ${allowed.join(' or ')}, required for ${purpose}` }];
}

function checkExtKeyUsage(cert: Certificate): UsageProblem[] {
  const read = readExtension(cert, OID.extKeyUsage, decodeExtKeyUsage);
  if (!read.present) return [];
  if (!read.value) return [{ code: 'ext-key-usage', message: `${read.error}; cannot tell whether S/MIME is allowed` }];
  if (read.value.some((eku) => SMIME_EKUS.includes(eku.oid))) return [];
  const has = read.value.map((eku) => eku.name).join(', ') || 'none';
  return [{ code: 'ext-key-usage', message: `extKeyUsage (${has}) lacks emailProtection` }];
}

/** A signer's key must allow digitalSignature or nonRepudiation (RFC 8550 §4.4.2). */
export function checkSignerUsage(cert: Certificate): UsageProblem[] {
  return [...checkKeyUsage(cert, ['digitalSignature', 'nonRepudiation'], 'signing'), ...checkExtKeyUsage(cert)];
}

/** Key types whose recipients use key agreement (RFC 5753 ECDH, RFC 8418 X25519) rather than key transport. */
const KEY_AGREEMENT_ALGORITHMS: readonly string[] = [OID.ecPublicKey, OID.x25519];

/**
 * A recipient's key must allow keyEncipherment for RSA key transport or keyAgreement for ECDH (RFC 8550 §4.4.2,
 * RFC 5753 §7.2); other key types are given either.
 */
export function checkRecipientUsage(cert: Certificate): UsageProblem[] {
  const needed: KeyUsageName[] = KEY_AGREEMENT_ALGORITHMS.includes(cert.publicKeyAlgorithm)
    ? ['keyAgreement']
    : cert.publicKeyAlgorithm === OID.rsaEncryption
      ? ['keyEncipherment']
      : ['keyEncipherment', 'keyAgreement'];
  return [...checkKeyUsage(cert, needed, 'encryption'), ...checkExtKeyUsage(cert)];
}
