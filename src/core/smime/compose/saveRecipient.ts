/**
 * Harvesting recipient certificates from signed mail: a correspondent's signature carries their certificate
 * (RFC 8551 §2.4.2 recommends including it for exactly this), which is what we encrypt to next time. Only a
 * signature that verifies cryptographically is taken: a certificate from a broken signature proves nothing.
 */
import { fileErrorCause, type FileWriter } from '../../files';
import { analyzeMessage } from '../analyze';
import { signerName } from '../reportLookup';
import type { Certificate } from '../../x509/certificate';
import { certificateEmails } from '../../x509/extensions';
import { certificatesFromBytes } from '../../x509/trustStore';

export type SaveStatus = 'written' | 'unchanged' | 'refused';

export interface SavedCertificate {
  address: string;
  path: string;
  status: SaveStatus;
  message: string;
}

export interface HarvestResult {
  saved: SavedCertificate[];
  /** Signers skipped, and why (signature does not verify, no address in the certificate). */
  skipped: string[];
}

/** Addresses in a file name: no path separators, no leading dot, nothing a shell or a file system treats specially. */
const SAFE_ADDRESS = /^[a-z0-9!#$%&'*+=?^_`{|}~.-]+@[a-z0-9.-]+$/;

/** The certificates of signers whose digest and signature checks pass, with the part that carried them. */
export function verifiedSignerCertificates(message: Buffer): { certs: Certificate[]; skipped: string[] } {
  const { report, certificates } = analyzeMessage(message);
  const certs: Certificate[] = [];
  const skipped: string[] = [];
  for (const layer of report.layers) {
    if (layer.kind !== 'signed') continue;
    for (const signer of layer.signers) {
      const who = signerName(report.certificates, signer) ?? 'unknown signer';
      const verified = ['digest', 'signature'].every((id) => signer.checks.some((c) => c.id === id && c.status === 'pass'));
      const cert = certificates.find((c) => c.certificate.fingerprint('sha256') === signer.certificate)?.certificate;
      if (!verified) skipped.push(`${who} (part ${layer.path}): the signature does not verify`);
      else if (!cert) skipped.push(`${who} (part ${layer.path}): the signer certificate is not in the message`);
      else if (!certs.some((c) => c.der.equals(cert.der))) certs.push(cert);
    }
  }
  return { certs, skipped };
}

/** An existing file for this address, matched case-insensitively as the recipients lookup does. */
function existingFile(files: FileWriter, dir: string, names: string[], address: string): string | undefined {
  const name = names.find((n) => n.toLowerCase() === `${address}.pem`);
  return name ? files.join(dir, name) : undefined;
}

async function saveOne(files: FileWriter, dir: string, names: string[], address: string, cert: Certificate): Promise<SavedCertificate> {
  const existing = existingFile(files, dir, names, address);
  const path = existing ?? files.join(dir, `${address}.pem`);
  if (existing) {
    let held: Certificate[];
    try {
      held = certificatesFromBytes(await files.readFile(existing), existing).certs;
    } catch (e) {
      return { address, path, status: 'refused', message: `${path} exists but cannot be read (${fileErrorCause(e)}); not overwritten` };
    }
    if (held.some((c) => c.der.equals(cert.der))) return { address, path, status: 'unchanged', message: `${path} already holds this certificate` };
    return { address, path, status: 'refused', message: `${path} holds a different certificate; not overwritten (remove it first to replace it)` };
  }
  try {
    // writeNewFile refuses an existing file: one created since the folder was listed is not replaced either.
    await files.writeNewFile(path, Buffer.from(cert.toPem(), 'latin1'));
  } catch (e) {
    return { address, path, status: 'refused', message: `${path} could not be written (${fileErrorCause(e)}); nothing was overwritten` };
  }
  names.push(`${address}.pem`);
  return { address, path, status: 'written', message: `saved ${address} to ${path}` };
}

/** Saves each verified signer certificate as DIR/<address>.pem through `files`, one file per address it names. */
export async function saveSignerCertificates(files: FileWriter, message: Buffer, dir: string): Promise<HarvestResult> {
  if ((await files.stat(dir))?.kind !== 'directory') throw new Error(`${dir} is not a folder`);
  const names = await files.readDirectory(dir);
  const { certs, skipped } = verifiedSignerCertificates(message);
  const saved: SavedCertificate[] = [];
  for (const cert of certs) {
    const addresses = certificateEmails(cert).filter((a) => SAFE_ADDRESS.test(a));
    if (addresses.length === 0) skipped.push(`${cert.subject.text}: the certificate names no usable mail address`);
    for (const address of addresses) saved.push(await saveOne(files, dir, names, address, cert));
  }
  return { saved, skipped };
}
