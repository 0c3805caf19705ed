/**
 * A plain, JSON-able description of a certificate for display (CLI `smime cert`, the certificate view).
 * Extension values are read from their DER here because Node's X509Certificate does not expose them all
 * (its `keyUsage` is the extended key usage list; the KeyUsage bits are missing).
 */
import { parseDer, type Asn1Node } from '../asn1/der';
import { OID, oidName } from '../asn1/oids';
import type { Certificate } from './certificate';
import type { PublicKeyBudget } from './chain';
import {
  certificateEmails,
  decodeAuthorityInfoAccess,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeCrlDistributionPoints,
  decodeExtKeyUsage,
  decodeKeyUsage,
  decodeSubjectKeyIdentifier,
  readExtension,
  type AuthorityInfoAccess,
  type BasicConstraints,
  type CertificatePolicy,
  type ExtendedKeyUsage,
  type KeyUsageName,
} from './extensions';
import { parseGeneralNames, type GeneralName } from './generalName';
import { signatureAlgorithmName } from './signatureAlgorithm';
import { publicKeyInfo, type PublicKeyInfo } from './publicKeyInfo';

export {
  certificateEmails,
  parseBasicConstraints,
  parseExtKeyUsage,
  parseKeyUsage,
  parseSubjectAltNames,
  parseAuthorityKeyIdentifier,
} from './extensions';
export type { PublicKeyInfo } from './publicKeyInfo';

export interface NameDetails {
  text: string;
  /** The most specific commonName, if the name has one. */
  commonName: string | null;
  /** Every attribute of every RDN, most significant RDN first (encoding order). */
  attributes: { name: string; oid: string; value: string }[];
}

export interface ExtensionSummary {
  oid: string;
  name: string;
  critical: boolean;
}

export interface CertificateDetails {
  subject: NameDetails;
  issuer: NameDetails;
  /** Upper-case hex without leading zeros. */
  serial: string;
  version: number;
  notBefore: string;
  notAfter: string;
  key: PublicKeyInfo;
  signatureAlgorithm: string;
  fingerprints: { sha1: string; sha256: string };
  subjectAltNames: GeneralName[];
  emails: string[];
  keyUsage?: KeyUsageName[];
  extKeyUsage?: ExtendedKeyUsage[];
  basicConstraints?: BasicConstraints;
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
  certificatePolicies: CertificatePolicy[];
  crlDistributionPoints: string[];
  authorityInfoAccess: AuthorityInfoAccess;
  /** OIDs of the extensions marked critical. */
  criticalExtensions: string[];
  extensions: ExtensionSummary[];
  selfSigned: boolean;
  pem: string;
  smimeCapabilities?: string[];
  /** Extensions that could not be read (the rest of the details are still filled in). */
  warnings: string[];
}

function nameDetails(name: Certificate['subject']): NameDetails {
  return { text: name.text, commonName: name.commonName, attributes: name.rdns.flat().map((a) => ({ name: a.name, oid: a.oid, value: a.value })) };
}

function certificateSignatureName(cert: Certificate): string {
  try {
    return signatureAlgorithmName(cert.signatureAlgorithm, parseDer(cert.der).child(1).children[1]);
  } catch {
    return cert.signatureAlgorithm;
  }
}

/**
 * Self-signed: issuer equals subject and the certificate's own key verifies its signature. The check is a public-key
 * operation, so it is drawn from the message's budget when one is given; without budget left it fails closed.
 */
function isSelfSigned(cert: Certificate, warnings: string[], budget: PublicKeyBudget | undefined): boolean {
  if (!cert.isSelfIssued) return false;
  if (budget) {
    if (budget.remaining <= 0) {
      warnings.push('whether it is self-signed was not checked: the message used up its public-key operations');
      return false;
    }
    budget.remaining -= 1;
  }
  return cert.verifySignatureBy(cert);
}

export interface DetailsOptions {
  smimeCapabilities?: string[];
  /** The public-key operations the caller may still spend (a message's budget). */
  budget?: PublicKeyBudget;
}

/** Everything a viewer shows of a certificate, without its PEM (a report carries no certificate bytes). */
export function certificateFields(cert: Certificate, extra?: DetailsOptions): Omit<CertificateDetails, 'pem'> {
  const warnings: string[] = [];
  const read = <T>(oid: string, parse: (node: Asn1Node) => T): T | undefined => {
    const r = readExtension(cert, oid, parse);
    if (r.present && r.error) warnings.push(r.error);
    return r.present ? r.value : undefined;
  };
  const hex = (b: Buffer | undefined) => b?.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
  const details: Omit<CertificateDetails, 'pem'> = {
    subject: nameDetails(cert.subject),
    issuer: nameDetails(cert.issuer),
    serial: cert.serialHex,
    version: cert.version,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    key: publicKeyInfo(cert),
    signatureAlgorithm: certificateSignatureName(cert),
    fingerprints: { sha1: cert.fingerprint('sha1'), sha256: cert.fingerprint('sha256') },
    subjectAltNames: read(OID.subjectAltName, parseGeneralNames) ?? [],
    emails: certificateEmails(cert),
    keyUsage: read(OID.keyUsage, decodeKeyUsage),
    extKeyUsage: read(OID.extKeyUsage, decodeExtKeyUsage),
    basicConstraints: read(OID.basicConstraints, decodeBasicConstraints),
    subjectKeyIdentifier: hex(read(OID.subjectKeyIdentifier, decodeSubjectKeyIdentifier)),
    authorityKeyIdentifier: hex(read(OID.authorityKeyIdentifier, decodeAuthorityKeyIdentifier)?.keyIdentifier),
    certificatePolicies: read(OID.certificatePolicies, decodeCertificatePolicies) ?? [],
    crlDistributionPoints: read(OID.crlDistributionPoints, decodeCrlDistributionPoints) ?? [],
    authorityInfoAccess: read(OID.authorityInfoAccess, decodeAuthorityInfoAccess) ?? { ocsp: [], caIssuers: [] },
    criticalExtensions: cert.extensions.filter((e) => e.critical).map((e) => e.oid),
    extensions: cert.extensions.map((e) => ({ oid: e.oid, name: oidName(e.oid), critical: e.critical })),
    selfSigned: isSelfSigned(cert, warnings, extra?.budget),
    warnings,
  };
  if (extra?.smimeCapabilities) details.smimeCapabilities = [...extra.smimeCapabilities];
  return withoutUndefined(details);
}

/** The fields and the PEM, for `smime cert`. */
export function certificateDetails(cert: Certificate, extra?: DetailsOptions): CertificateDetails {
  return { ...certificateFields(cert, extra), pem: cert.toPem() };
}

/** Absent optional fields are left out (not set to undefined), so the object survives JSON unchanged. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
