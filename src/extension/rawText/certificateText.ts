/** A readable text rendering of a signer's certificate chain, for when no certificate view is available. */
import type { CertificateSummary } from '../../core';

function certificateSection(cert: CertificateSummary, index: number): string {
  const title = index === 0 ? 'Signer certificate' : `Issuer ${index}`;
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
    '```',
    cert.pem.trim(),
    '```',
    '',
  ].join('\n');
}

/** Leaf first, as the report gives the chain. */
export function certificateMarkdown(chain: CertificateSummary[]): string {
  return ['# Certificate chain', '', ...chain.map(certificateSection)].join('\n');
}
