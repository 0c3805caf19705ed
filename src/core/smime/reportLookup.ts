/** Reading a finished report: a signer's certificate from the report's registry, and how a signer is named. */
import type { CertificateEntry, SecurityReport, SignerReport } from './report';

type Registry = SecurityReport['certificates'];

/** The signer's certificate entry; undefined when the signer certificate was not found. */
export function signerCertificate(certificates: Registry, signer: Pick<SignerReport, 'certificate'>): CertificateEntry | undefined {
  return signer.certificate === null ? undefined : certificates[signer.certificate];
}

/** How a signer is named in text: its usable address, else its certificate's subject; null with no certificate. */
export function signerName(certificates: Registry, signer: Pick<SignerReport, 'certificate' | 'email'>): string | null {
  return signer.email ?? signerCertificate(certificates, signer)?.subject ?? null;
}
