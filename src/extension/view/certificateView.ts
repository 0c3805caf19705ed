/**
 * Every certificate of every signer's chain, plus the others the message carries, with all the fields the core
 * computed for the report's registry flattened into label/value rows. Ids are the registry's (SHA-256
 * fingerprints); the host maps them to the analysis's Certificate objects (certificateIndex) for export and trust,
 * so neither the view model nor the webview holds certificate bytes.
 */
import type { AnalysisResult, Certificate, CertificateFields, CertificateId, SecurityReport } from '../../core';
import type { CertificateFieldView, CertificateView } from '../../shared/protocol';
import type { Translate } from './translate';

type Role = CertificateView['role'];

function fieldRows(d: CertificateFields, t: Translate): CertificateFieldView[] {
  const rows: CertificateFieldView[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') rows.push({ label, value });
  };
  add(t('Subject'), d.subject.text);
  for (const a of d.subject.attributes) add(`  ${a.name}`, a.value);
  add(t('Issuer'), d.issuer.text);
  add(t('Serial number'), d.serial);
  add(t('Version'), String(d.version));
  add(t('Not before'), d.notBefore);
  add(t('Not after'), d.notAfter);
  add(t('Public key'), [d.key.type, d.key.bits ? `${d.key.bits} bit` : '', d.key.curve ?? ''].filter(Boolean).join(' '));
  add(t('Signature algorithm'), d.signatureAlgorithm);
  add(t('SHA-256 fingerprint'), d.fingerprints.sha256);
  add(t('SHA-1 fingerprint'), d.fingerprints.sha1);
  add(t('Subject alternative names'), d.subjectAltNames.map((n) => `${n.type}:${n.value}`).join(', '));
  add(t('Email addresses'), d.emails.join(', '));
  add(t('Key usage'), d.keyUsage?.join(', '));
  add(t('Extended key usage'), d.extKeyUsage?.map((e) => e.name).join(', '));
  if (d.basicConstraints) {
    const bc = d.basicConstraints;
    add(t('Basic constraints'), bc.ca ? `CA${bc.pathLen !== undefined ? `, pathLen ${bc.pathLen}` : ''}` : t('not a CA'));
  }
  add(t('Subject key identifier'), d.subjectKeyIdentifier);
  add(t('Authority key identifier'), d.authorityKeyIdentifier);
  add(t('Certificate policies'), d.certificatePolicies.map((p) => [p.oid, ...p.cpsUris].join(' ')).join('; '));
  add(t('CRL distribution points'), d.crlDistributionPoints.join(', '));
  add(t('OCSP'), d.authorityInfoAccess.ocsp.join(', '));
  add(t('CA issuers'), d.authorityInfoAccess.caIssuers.join(', '));
  add(t('Extensions'), d.extensions.map((e) => `${e.name}${e.critical ? ` (${t('critical')})` : ''}`).join(', '));
  add(t('S/MIME capabilities'), d.smimeCapabilities?.join(', '));
  add(t('Self-signed'), d.selfSigned ? t('yes') : t('no'));
  for (const w of d.warnings) add(t('Warning'), w);
  return rows;
}

/** Each certificate of the report with its role: every signer's chain first (leaf first), then the others the
 *  message carries. The roles come from the chains; a certificate in several chains keeps its first role. */
function certificateRoles(report: SecurityReport): Map<CertificateId, Role> {
  const roles = new Map<CertificateId, Role>();
  for (const layer of report.layers) {
    if (layer.kind !== 'signed') continue;
    for (const signer of layer.signers) {
      signer.chain.forEach((id, i) => {
        const entry = report.certificates[id];
        if (roles.has(id) || !entry) return;
        const last = i === signer.chain.length - 1;
        roles.set(id, i === 0 ? 'signer' : last && entry.details.selfSigned ? 'root' : 'intermediate');
      });
    }
  }
  for (const [id, entry] of Object.entries(report.certificates)) {
    if (!roles.has(id)) roles.set(id, entry.details.selfSigned ? 'root' : 'other');
  }
  return roles;
}

/** Every certificate the view may show, by id (the id the webview sends back), with the host's Certificate. */
export function certificateIndex(result: Pick<AnalysisResult, 'report' | 'certificatesById'>): Map<CertificateId, { certificate: Certificate; role: Role }> {
  const index = new Map<CertificateId, { certificate: Certificate; role: Role }>();
  for (const [id, role] of certificateRoles(result.report)) {
    const certificate = result.certificatesById.get(id);
    if (certificate) index.set(id, { certificate, role });
  }
  return index;
}

/** The certificate viewer's model, from the report's registry alone (details computed by the core, no PEM). */
export function certificateViews(report: SecurityReport, t: Translate): CertificateView[] {
  return [...certificateRoles(report)].map(([id, role]) => {
    const { details: d } = report.certificates[id];
    return {
      id,
      title: d.subject.commonName ?? d.emails[0] ?? d.subject.text,
      subject: d.subject.text,
      issuer: d.issuer.text,
      role,
      sha256: d.fingerprints.sha256,
      notBefore: d.notBefore,
      notAfter: d.notAfter,
      selfSigned: d.selfSigned,
      fields: fieldRows(d, t),
    };
  });
}
