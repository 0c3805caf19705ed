/**
 * Parsers for the certificate extensions S/MIME cares about (RFC 5280 §4.2). Each returns undefined when the
 * extension is absent or cannot be read; `readExtension` tells the two apart for callers that report it.
 */
import { Asn1Node, Tag, decodeBitString, decodeOid, decodeSmallInteger, decodeString, parseDer } from '../asn1/der';
import { OID, oidName } from '../asn1/oids';
import type { Certificate } from './certificate';
import { parseGeneralName, parseGeneralNames, type GeneralName } from './generalName';

/** KeyUsage bit names in bit order (RFC 5280 §4.2.1.3); bit 1 is also called contentCommitment. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

export interface ExtendedKeyUsage {
  oid: string;
  name: string;
}

export interface BasicConstraints {
  ca: boolean;
  /** Absent means no limit. */
  pathLen?: number;
}

export interface CertificatePolicy {
  oid: string;
  /** Certification Practice Statement URIs from the policy qualifiers (RFC 5280 §4.2.1.4). */
  cpsUris: string[];
}

export interface AuthorityInfoAccess {
  ocsp: string[];
  caIssuers: string[];
}

export interface AuthorityKeyIdentifier {
  keyIdentifier?: Buffer;
  /** authorityCertSerialNumber as upper-case hex, when present. */
  serialHex?: string;
}

export type ExtensionRead<T> = { present: false } | { present: true; value?: T; error?: string };

/** Reads one extension's value with `parse`, catching malformed encodings. */
export function readExtension<T>(cert: Certificate, oid: string, parse: (value: Asn1Node) => T): ExtensionRead<T> {
  const ext = cert.extension(oid);
  if (!ext) return { present: false };
  try {
    return { present: true, value: parse(parseDer(ext.value)) };
  } catch (e) {
    return { present: true, error: `malformed ${oidName(oid)} extension: ${(e as Error).message}` };
  }
}

function valueOf<T>(read: ExtensionRead<T>): T | undefined {
  return read.present ? read.value : undefined;
}

/** KeyUsage bits from the DER BIT STRING (bit 0 is the most significant bit of the first byte). */
export function parseKeyUsage(cert: Certificate): KeyUsageName[] | undefined {
  return valueOf(readExtension(cert, OID.keyUsage, decodeKeyUsage));
}

export function decodeKeyUsage(node: Asn1Node): KeyUsageName[] {
  const { bytes } = decodeBitString(node.expect(Tag.bitString, 'KeyUsage'));
  return KEY_USAGE_BITS.filter((_, bit) => bit >> 3 < bytes.length && (bytes[bit >> 3] & (0x80 >> (bit & 7))) !== 0);
}

export function parseExtKeyUsage(cert: Certificate): ExtendedKeyUsage[] | undefined {
  return valueOf(readExtension(cert, OID.extKeyUsage, decodeExtKeyUsage));
}

export function decodeExtKeyUsage(node: Asn1Node): ExtendedKeyUsage[] {
  return node.expect(Tag.sequence, 'ExtKeyUsageSyntax').children.map((c) => {
    const oid = decodeOid(c);
    return { oid, name: oidName(oid) };
  });
}

export function parseBasicConstraints(cert: Certificate): BasicConstraints | undefined {
  return valueOf(readExtension(cert, OID.basicConstraints, decodeBasicConstraints));
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }. */
export function decodeBasicConstraints(node: Asn1Node): BasicConstraints {
  const result: BasicConstraints = { ca: false };
  for (const c of node.expect(Tag.sequence, 'BasicConstraints').children) {
    if (c.is(Tag.boolean)) result.ca = c.value[0] !== 0;
    else if (c.is(Tag.integer)) result.pathLen = decodeSmallInteger(c);
  }
  return result;
}

export function parseSubjectAltNames(cert: Certificate): GeneralName[] | undefined {
  return valueOf(readExtension(cert, OID.subjectAltName, parseGeneralNames));
}

/** SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING). */
export function decodeSubjectKeyIdentifier(node: Asn1Node): Buffer {
  return node.expect(Tag.octetString, 'SubjectKeyIdentifier').value;
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0], authorityCertIssuer [1], authorityCertSerialNumber [2] }. */
export function decodeAuthorityKeyIdentifier(node: Asn1Node): AuthorityKeyIdentifier {
  const result: AuthorityKeyIdentifier = {};
  for (const c of node.expect(Tag.sequence, 'AuthorityKeyIdentifier').children) {
    if (c.isContext(0)) result.keyIdentifier = c.value;
    else if (c.isContext(2)) result.serialHex = hexWithoutLeadingZeros(c.value);
  }
  return result;
}

export function parseAuthorityKeyIdentifier(cert: Certificate): AuthorityKeyIdentifier | undefined {
  return valueOf(readExtension(cert, OID.authorityKeyIdentifier, decodeAuthorityKeyIdentifier));
}

function hexWithoutLeadingZeros(bytes: Buffer): string {
  let v = bytes;
  while (v.length > 1 && v[0] === 0) v = v.subarray(1);
  return v.toString('hex').toUpperCase();
}

/** certificatePolicies: PolicyInformation ::= SEQUENCE { policyIdentifier, policyQualifiers OPTIONAL }. */
export function decodeCertificatePolicies(node: Asn1Node): CertificatePolicy[] {
  return node.expect(Tag.sequence, 'CertificatePolicies').children.map((info) => {
    const cpsUris: string[] = [];
    for (const qualifier of info.children[1]?.children ?? []) {
      if (decodeOid(qualifier.child(0)) === OID.cpsQualifier) cpsUris.push(decodeString(qualifier.child(1)));
    }
    return { oid: decodeOid(info.child(0)), cpsUris };
  });
}

/** URIs of the fullName of every DistributionPoint (RFC 5280 §4.2.1.13). */
export function decodeCrlDistributionPoints(node: Asn1Node): string[] {
  const uris: string[] = [];
  for (const point of node.expect(Tag.sequence, 'CRLDistributionPoints').children) {
    const name = point.children.find((c) => c.isContext(0));
    const fullName = name?.children.find((c) => c.isContext(0));
    for (const general of fullName?.children ?? []) {
      const parsed = parseGeneralName(general);
      if (parsed.type === 'uri') uris.push(parsed.value);
    }
  }
  return uris;
}

/** AuthorityInfoAccessSyntax ::= SEQUENCE OF { accessMethod OID, accessLocation GeneralName } (§4.2.2.1). */
export function decodeAuthorityInfoAccess(node: Asn1Node): AuthorityInfoAccess {
  const result: AuthorityInfoAccess = { ocsp: [], caIssuers: [] };
  for (const access of node.expect(Tag.sequence, 'AuthorityInfoAccess').children) {
    const method = decodeOid(access.child(0));
    const location = parseGeneralName(access.child(1)).value;
    if (method === OID.ocsp) result.ocsp.push(location);
    else if (method === OID.caIssuers) result.caIssuers.push(location);
  }
  return result;
}

/**
 * Every mailbox the certificate names: rfc822Name SANs plus the legacy emailAddress attribute of the subject
 * (RFC 8550 §3 allows both), lower-cased and without duplicates.
 */
export function certificateEmails(cert: Certificate): string[] {
  const emails = new Set<string>();
  for (const name of parseSubjectAltNames(cert) ?? []) if (name.type === 'email') emails.add(name.value.toLowerCase());
  for (const rdn of cert.subject.rdns) for (const a of rdn) if (a.oid === OID.emailAddress) emails.add(a.value.toLowerCase());
  return [...emails];
}
