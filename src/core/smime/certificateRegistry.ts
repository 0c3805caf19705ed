/**
 * The certificates of one report, each once, by id (its SHA-256 fingerprint). Signers refer to their certificate
 * and chain by id, so a certificate shared by two signers or two layers is described once. The details a viewer
 * shows are computed here, once per certificate, when the report is finished; the Certificate objects stay with
 * the analysis (AnalysisResult.certificatesById) for the front ends that export or trust one.
 */
import type { Certificate } from '../x509/certificate';
import type { PublicKeyBudget } from '../x509/chain';
import { certificateFields } from '../x509/details';
import type { CertificateEntry, CertificateId } from './report';

/** The id of a certificate in a report (see CertificateId). */
export function certificateId(cert: Certificate): CertificateId {
  return cert.fingerprint('sha256');
}

export class CertificateRegistry {
  private readonly byId = new Map<CertificateId, { certificate: Certificate; carried: boolean }>();

  /** Adds a certificate (once per id) and returns its id; `carried` when the message itself holds it. */
  add(certificate: Certificate, carried: boolean): CertificateId {
    const id = certificateId(certificate);
    const known = this.byId.get(id);
    if (!known) this.byId.set(id, { certificate, carried });
    else if (carried) known.carried = true;
    return id;
  }

  get certificates(): ReadonlyMap<CertificateId, Certificate> {
    return new Map([...this.byId].map(([id, { certificate }]) => [id, certificate]));
  }

  /** The report's registry; `budget` bounds the self-signature checks of the details. */
  entries(budget?: PublicKeyBudget): Record<CertificateId, CertificateEntry> {
    const out: Record<CertificateId, CertificateEntry> = {};
    for (const [id, { certificate, carried }] of this.byId) out[id] = certificateEntry(certificate, carried, budget);
    return out;
  }
}

function certificateEntry(cert: Certificate, carried: boolean, budget: PublicKeyBudget | undefined): CertificateEntry {
  const details = certificateFields(cert, { budget });
  return {
    sha256Fingerprint: details.fingerprints.sha256,
    subject: details.subject.text,
    subjectCommonName: details.subject.commonName,
    issuer: details.issuer.text,
    serial: details.serial,
    notBefore: details.notBefore,
    notAfter: details.notAfter,
    emails: details.emails,
    carried,
    details,
  };
}
