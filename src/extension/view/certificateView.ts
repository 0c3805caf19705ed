/**
 * Every certificate of every signer's chain, plus the others the message carries, with all the fields of
 * certificateDetails flattened into label/value rows. Ids are SHA-256 fingerprints; the host maps them back to
 * its own Certificate objects (certificateIndex), so the webview never hands the host certificate bytes.
 */
import { tryParseCertificate, certificateDetails, decodePemBlocks, type Certificate, type CertificateDetails, type SecurityReport } from '../../core';
import type { CertificateFieldView, CertificateView } from '../../shared/protocol';
import type { Translate } from './translate';

type Role = CertificateView['role'];

function fieldRows(d: CertificateDetails, t: Translate): CertificateFieldView[] {
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

function fromPem(pem: string): Certificate | undefined {
  const block = decodePemBlocks(pem).find((b) => b.label === 'CERTIFICATE');
  return block ? tryParseCertificate(block.der) : undefined;
}

/** Every certificate the view may show, by SHA-256 fingerprint (the id the webview sends back). */
export function certificateIndex(report: SecurityReport, carried: { certificate: Certificate }[]): Map<string, { certificate: Certificate; role: Role }> {
  const index = new Map<string, { certificate: Certificate; role: Role }>();
  for (const layer of report.layers) {
    for (const signer of layer.signers ?? []) {
      signer.chain.forEach((summary, i) => {
        if (index.has(summary.sha256Fingerprint)) return;
        const certificate = fromPem(summary.pem);
        if (!certificate) return;
        const last = i === signer.chain.length - 1;
        const role: Role = i === 0 ? 'signer' : last && certificate.isSelfIssued ? 'root' : 'intermediate';
        index.set(summary.sha256Fingerprint, { certificate, role });
      });
    }
  }
  for (const { certificate } of carried) {
    const id = certificate.fingerprint('sha256');
    if (!index.has(id)) index.set(id, { certificate, role: certificate.isSelfIssued ? 'root' : 'other' });
  }
  return index;
}

export function certificateViews(index: Map<string, { certificate: Certificate; role: Role }>, t: Translate): CertificateView[] {
  return [...index.entries()].map(([id, { certificate, role }]) => {
    const d = certificateDetails(certificate);
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
