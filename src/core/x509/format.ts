/** A human-readable, multi-line rendering of CertificateDetails (for `smime cert` and logs). */
import { OID } from '../asn1/oids';
import type { CertificateDetails } from './details';

const LABEL_WIDTH = 22;

function line(label: string, value: string | number | boolean | undefined): string[] {
  if (value === undefined || value === '') return [];
  return [`${(label + ':').padEnd(LABEL_WIDTH)} ${value}`];
}

function list(label: string, values: string[] | undefined): string[] {
  if (!values || values.length === 0) return [];
  return [...line(label, values[0]), ...values.slice(1).map((v) => `${''.padEnd(LABEL_WIDTH)} ${v}`)];
}

function keyText(key: CertificateDetails['key']): string {
  const size = key.bits ? ` ${key.bits} bit` : '';
  const curve = key.curve ? ` (${key.curve})` : '';
  return `${key.type}${size}${curve}`;
}

function basicConstraintsText(bc: CertificateDetails['basicConstraints']): string | undefined {
  if (!bc) return undefined;
  if (!bc.ca) return 'end entity (CA: false)';
  return bc.pathLen === undefined ? 'CA' : `CA, path length ${bc.pathLen}`;
}

export function formatCertificateText(details: CertificateDetails): string {
  const critical = new Set(details.criticalExtensions);
  const mark = (oid: string) => (critical.has(oid) ? ' (critical)' : '');
  const policies = details.certificatePolicies.map((p) => (p.cpsUris.length ? `${p.oid} CPS ${p.cpsUris.join(' ')}` : p.oid));
  const otherExtensions = details.extensions.map((e) => `${e.name}${e.critical ? ' (critical)' : ''}`);
  const lines = [
    ...line('Subject', details.subject.text),
    ...line('Issuer', details.issuer.text),
    ...line('Serial', details.serial),
    ...line('Version', details.version),
    ...line('Valid from', details.notBefore),
    ...line('Valid until', details.notAfter),
    ...line('Public key', keyText(details.key)),
    ...line('Signature algorithm', details.signatureAlgorithm),
    ...line('SHA-1 fingerprint', details.fingerprints.sha1),
    ...line('SHA-256 fingerprint', details.fingerprints.sha256),
    ...list('Email addresses', details.emails),
    ...list('Subject alt names', details.subjectAltNames.map((n) => `${n.type}: ${n.value}`)),
    ...line(`Key usage${mark(OID.keyUsage)}`, details.keyUsage?.join(', ') || (details.keyUsage ? '(none)' : undefined)),
    ...line(`Extended key usage${mark(OID.extKeyUsage)}`, details.extKeyUsage?.map((u) => u.name).join(', ')),
    ...line(`Basic constraints${mark(OID.basicConstraints)}`, basicConstraintsText(details.basicConstraints)),
    ...line('Subject key id', details.subjectKeyIdentifier),
    ...line('Authority key id', details.authorityKeyIdentifier),
    ...list('Policies', policies),
    ...list('CRL distribution', details.crlDistributionPoints),
    ...list('OCSP', details.authorityInfoAccess.ocsp),
    ...list('CA issuers', details.authorityInfoAccess.caIssuers),
    ...list('S/MIME capabilities', details.smimeCapabilities),
    ...list('Extensions', otherExtensions),
    ...line('Self-signed', details.selfSigned ? 'yes' : undefined),
    ...list('Warnings', details.warnings),
  ];
  return lines.join('\n') + '\n';
}
