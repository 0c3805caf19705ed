/** A readable text rendering of a signer's certificate chain, for when no certificate view is available. */
import type { AnalysisResult, CertificateId } from '../../core';

function certificateSection(result: Pick<AnalysisResult, 'report' | 'certificatesById'>, id: CertificateId, index: number): string {
  const cert = result.report.certificates[id];
  const title = index === 0 ? 'Signer certificate' : `Issuer ${index}`;
  // The host's own copy of the certificate (never the report's text) gives the PEM the user may copy out.
  const pem = result.certificatesById.get(id)?.toPem().trim();
  return [
    `## ${title}`,
    '',
    `- **Subject:** ${cert.subject}`,
    `- **Issuer:** ${cert.issuer}`,
    `- **Serial:** ${cert.serial}`,
    `- **Valid:** ${cert.notBefore} to ${cert.notAfter}`,
    ...(cert.emails.length ? [`- **Email:** ${cert.emails.join(', ')}`] : []),
    `- **SHA-256:** ${cert.sha256Fingerprint}`,
    '',
    ...(pem ? ['```', pem, '```', ''] : []),
  ].join('\n');
}

/** Leaf first, as the signer's chain gives the ids. */
export function certificateMarkdown(result: Pick<AnalysisResult, 'report' | 'certificatesById'>, chain: CertificateId[]): string {
  const known = chain.filter((id) => result.report.certificates[id]);
  return ['# Certificate chain', '', ...known.map((id, i) => certificateSection(result, id, i))].join('\n');
}
