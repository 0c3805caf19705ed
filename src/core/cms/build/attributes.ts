/**
 * Signed attributes of a SignerInfo (RFC 5652 §5.3, §11; RFC 8551 §2.5; RFC 5035 §5.4), built as the
 * DER SET OF that the signature covers. The SET is sorted (X.690 §11.6): verifiers such as Bouncy
 * Castle re-encode the attributes in DER order before checking, so any other order fails there.
 */
import { createHash } from 'node:crypto';
import { OID } from '../../asn1/oids';
import { Tag } from '../../asn1/der';
import { contextExplicit, octetString, oid, primitive, sequence, setOf, time, type DerElement, type DerInput } from '../../asn1/derWriter';
import type { Certificate } from '../../x509/certificate';

/**
 * What we advertise in SMIMECapabilities when the caller gives nothing: the content ciphers our read side
 * decrypts without a legacy warning, strongest first (RFC 8551 §2.5.2, §2.7). 3DES, DES and RC2 are left
 * out on purpose: listing them would invite a sender to use them.
 */
export const DEFAULT_SMIME_CAPABILITIES: readonly string[] = [
  OID.aes256Gcm,
  OID.aes192Gcm,
  OID.aes128Gcm,
  OID.aes256Cbc,
  OID.aes192Cbc,
  OID.aes128Cbc,
];

export interface SignedAttributeValues {
  contentType: string;
  messageDigest: Buffer;
  signingTime: Date;
  /** Capability OIDs in order of preference; empty leaves the attribute out. */
  smimeCapabilities: readonly string[];
  signerCertificate: Certificate;
}

/** Attribute ::= SEQUENCE { attrType OID, attrValues SET OF AttributeValue } (RFC 5652 §5.3). */
export function attribute(type: string, values: DerInput[]): DerElement {
  return sequence(oid(type), setOf(values));
}

/**
 * SMIMECapabilities ::= SEQUENCE OF SMIMECapability (RFC 8551 §2.5.2): a SEQUENCE, because the order is
 * the preference. AES-CBC and AES-GCM capabilities carry no parameters (RFC 3565 §5, RFC 5084 §5).
 */
export function smimeCapabilities(oids: readonly string[]): DerElement {
  return sequence(...oids.map((o) => sequence(oid(o))));
}

/**
 * SigningCertificateV2 (RFC 5035 §5.4) naming the signer certificate by its SHA-256 hash, so it cannot be
 * swapped for another certificate with the same key. ESSCertIDv2.hashAlgorithm is left out: its DEFAULT is
 * id-sha256, and DER omits default values (X.690 §11.5). IssuerSerial names the issuer as a
 * directoryName GeneralName ([4], explicit because Name is a CHOICE).
 */
export function signingCertificateV2(cert: Certificate): DerElement {
  const certHash = createHash('sha256').update(cert.der).digest();
  const issuerSerial = sequence(sequence(contextExplicit(4, cert.issuerDer)), primitive(Tag.integer, cert.serialBytes));
  const essCertIdV2 = sequence(octetString(certHash), issuerSerial);
  return sequence(sequence(essCertIdV2));
}

/** The signed attributes as the DER SET OF (tag 0x31) that is signed (RFC 5652 §5.4). */
export function signedAttributes(v: SignedAttributeValues): DerElement {
  const attrs = [
    attribute(OID.contentType, [oid(v.contentType)]),
    attribute(OID.signingTime, [time(v.signingTime)]),
    attribute(OID.messageDigest, [octetString(v.messageDigest)]),
    attribute(OID.signingCertificateV2, [signingCertificateV2(v.signerCertificate)]),
  ];
  if (v.smimeCapabilities.length) attrs.push(attribute(OID.smimeCapabilities, [smimeCapabilities(v.smimeCapabilities)]));
  return setOf(attrs);
}
