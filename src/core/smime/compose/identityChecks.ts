/**
 * Checks made before anything is signed or encrypted, so that a message recipients would reject is never
 * written by accident: the key belongs to the certificate, the certificate is valid now, its key usage allows
 * the operation (RFC 8550 §4.4.2, §4.4.4), and the From address is one the certificate names (RFC 8550 §3).
 * Hard problems refuse the operation unless forced; a forced problem becomes a warning in the result.
 */
import type { KeyObject } from 'node:crypto';
import { publicKeysMatch } from '../../keys';
import type { Certificate } from '../../x509/certificate';
import { certificateEmails } from '../../x509/extensions';
import { checkRecipientUsage, checkSignerUsage } from '../../x509/usage';
import type { MailAddress } from '../addresses';
import { signerAddresses } from '../signerAddresses';
import { SIGNING_TIME_TOLERANCE_MS } from '../verifySigner';
import { ComposeError, type ComposeWarning, type Refusal } from './types';

/** A recipient certificate this close to its end is still used, with a warning that it needs renewing soon. */
export const EXPIRY_WARNING_MS = 14 * 24 * 60 * 60 * 1000;

export interface SignerIdentity {
  privateKey: KeyObject;
  certificate: Certificate;
  /** Intermediates to include (leaf excluded). */
  chain?: Certificate[];
}

function subjectOf(cert: Certificate): string {
  return certificateEmails(cert)[0] ?? cert.subject.text;
}

function validityProblems(cert: Certificate, now: Date, expiredCode: 'cert-expired' | 'recipient-expired', who: string): Refusal[] {
  if (now.getTime() > cert.notAfter.getTime()) {
    return [{ code: expiredCode, message: `the ${who} certificate (${subjectOf(cert)}) expired on ${cert.notAfter.toISOString()}` }];
  }
  if (now.getTime() < cert.notBefore.getTime()) {
    const code = expiredCode === 'cert-expired' ? 'cert-not-yet-valid' : expiredCode;
    return [{ code, message: `the ${who} certificate (${subjectOf(cert)}) is not valid before ${cert.notBefore.toISOString()}` }];
  }
  return [];
}

/** Problems that make a signature unverifiable or rejected by recipients' clients. */
export function signerProblems(signer: SignerIdentity, now: Date): Refusal[] {
  const problems: Refusal[] = [];
  if (!publicKeysMatch(signer.privateKey, signer.certificate)) {
    problems.push({ code: 'key-mismatch', message: `the private key does not belong to the certificate of ${subjectOf(signer.certificate)}` });
  }
  problems.push(...validityProblems(signer.certificate, now, 'cert-expired', 'signer'));
  for (const usage of checkSignerUsage(signer.certificate)) {
    problems.push({ code: usage.code, message: `the signer certificate cannot sign mail: ${usage.message} (RFC 8550 §4.4)` });
  }
  return problems;
}

/**
 * The From address should be one of the signer's (RFC 8550 §3); clients show a mismatch otherwise. The addresses
 * are the ones the verifier uses: the SAN ones, the subject DN's only without them, none with a control character.
 */
export function senderWarnings(cert: Certificate, from: MailAddress[]): ComposeWarning[] {
  const emails = signerAddresses(cert).usable;
  const outside = from.filter((a) => !emails.includes(a.address));
  if (from.length === 0 || outside.length === 0) return [];
  const named = emails.length ? emails.join(', ') : 'no address';
  return [{ code: 'sender-mismatch', message: `From ${outside.map((a) => a.address).join(', ')} is not in the signer certificate (${named}): recipients' clients will show a mismatch` }];
}

/** The signingTime attribute is `now`; readers flag a Date header far from it (as Thunderbird 115.6+ does). */
export function dateWarnings(date: Date | null, now: Date): ComposeWarning[] {
  if (!date || Math.abs(date.getTime() - now.getTime()) <= SIGNING_TIME_TOLERANCE_MS) return [];
  return [{ code: 'date-mismatch', message: `the Date header (${date.toISOString()}) is far from the signing time (${now.toISOString()}): readers will flag the difference; update Date before signing` }];
}

/** Expiry refuses; key usage problems and a near expiry are warnings (the recipient's client decides). */
export function recipientProblems(cert: Certificate, now: Date): { refusals: Refusal[]; warnings: ComposeWarning[] } {
  const refusals = validityProblems(cert, now, 'recipient-expired', 'recipient');
  const who = subjectOf(cert);
  const warnings: ComposeWarning[] = checkRecipientUsage(cert).map((u) => ({ code: 'recipient-usage', message: `recipient ${who}: ${u.message} (RFC 8550 §4.4)` }));
  if (refusals.length === 0 && cert.notAfter.getTime() - now.getTime() < EXPIRY_WARNING_MS) {
    warnings.push({ code: 'recipient-expiring', message: `recipient ${who}: certificate expires on ${cert.notAfter.toISOString()}` });
  }
  return { refusals, warnings };
}

/** Throws ComposeError for `problems` unless `force`; forced problems are added to `warnings`. */
export function enforce(problems: Refusal[], force: boolean, warnings: ComposeWarning[]): void {
  if (problems.length === 0) return;
  if (!force) throw new ComposeError(problems);
  for (const p of problems) warnings.push({ code: 'forced', message: `forced despite: ${p.message}` });
}
