/**
 * The placement and multiplicity rules of RFC 5652 §11 (and RFC 2634 §2.7, §5.4, RFC 5035 §5.4 for ESS):
 * contentType, messageDigest and signingTime are signed attributes with exactly one instance holding exactly one
 * value, and a countersignature is never signed. A repeat or a second value gives two readings of what was signed
 * (which digest, which time); a copy in the unsigned attributes is protected by nothing and may be what another
 * reader takes. OpenSSL's `cms -verify` refuses the same SignerInfos.
 */
import { OID } from '../asn1/oids';
import type { SignerInfo } from './signedData';

const COUNTERSIGNATURE = '1.2.840.113549.1.9.6';
const RECEIPT_REQUEST = '1.2.840.113549.1.9.16.2.1';

interface Rule {
  name: string;
  rfc: string;
}

/** Attributes that must be signed, once, with one value. */
const SIGNED_SINGLE: ReadonlyMap<string, Rule> = new Map([
  [OID.contentType, { name: 'contentType', rfc: 'RFC 5652 §11.1' }],
  [OID.messageDigest, { name: 'messageDigest', rfc: 'RFC 5652 §11.2' }],
  [OID.signingTime, { name: 'signingTime', rfc: 'RFC 5652 §11.3' }],
  [OID.signingCertificate, { name: 'signingCertificate', rfc: 'RFC 2634 §5.4' }],
  [OID.signingCertificateV2, { name: 'signingCertificateV2', rfc: 'RFC 5035 §5.4' }],
  [RECEIPT_REQUEST, { name: 'receiptRequest', rfc: 'RFC 2634 §2.7' }],
]);

export interface AttributeViolation {
  message: string;
  rfc: string;
}

/** What in this SignerInfo's attributes breaks RFC 5652 §11; empty when nothing does. */
export function attributeViolations(signer: SignerInfo): AttributeViolation[] {
  const violations: AttributeViolation[] = [];
  const signedCount = new Map<string, number>();
  for (const shape of signer.attributeShapes) {
    if (shape.oid === COUNTERSIGNATURE && shape.signed) {
      violations.push({ message: 'countersignature is a signed attribute; it may only be unsigned', rfc: 'RFC 5652 §11.4' });
    }
    const rule = SIGNED_SINGLE.get(shape.oid);
    if (!rule) continue;
    if (!shape.signed) {
      violations.push({ message: `${rule.name} is an unsigned attribute, where nothing protects it`, rfc: rule.rfc });
      continue;
    }
    signedCount.set(shape.oid, (signedCount.get(shape.oid) ?? 0) + 1);
    if (shape.values !== 1) violations.push({ message: `${rule.name} holds ${shape.values} values; it must hold exactly one`, rfc: rule.rfc });
  }
  for (const [oid, count] of signedCount) {
    const rule = SIGNED_SINGLE.get(oid) as Rule;
    if (count > 1) violations.push({ message: `${rule.name} appears ${count} times among the signed attributes; it may appear once`, rfc: rule.rfc });
  }
  return violations;
}
