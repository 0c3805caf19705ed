/**
 * Finding the certificate of every recipient before encrypting: certificates given explicitly, and a folder
 * looked up by the addresses in To/Cc/Bcc, first by file name (<address>.pem/.crt/.cer/.der), then by the
 * addresses certificates name (RFC 8550 §3: rfc822Name SAN or the emailAddress attribute). A recipient left
 * without a certificate could not read the message, so with a folder that refuses the whole operation.
 */
import { fileErrorCause, type FileReader } from '../../files';
import type { Certificate } from '../../x509/certificate';
import { certificateEmails } from '../../x509/extensions';
import { certificatesFromBytes, loadCertificates, MAX_STORE_FILE_BYTES } from '../../x509/trustStore';
import { normalizeAddress } from '../addresses';
import { ComposeError, type ComposeWarning } from './types';

/** File name extensions tried for <address>.<ext>, in this order. */
export const RECIPIENT_FILE_EXTENSIONS = ['.pem', '.crt', '.cer', '.der'];

export interface RecipientLookup {
  /** Certificates given one by one (--to). */
  explicit: Certificate[];
  /** Folder of recipient certificates (--recipients-dir). */
  dir?: string;
  /** The addresses the message goes to (To, Cc, Bcc). */
  addresses: string[];
  now?: Date;
  /** How the user gives certificates, for the messages that ask for one: the command line's options by default. */
  names?: { explicit: string; dir: string };
}

const CLI_RECIPIENT_NAMES = { explicit: '--to CERT', dir: '--recipients-dir DIR' };

export interface RecipientMatch {
  address: string;
  certificate?: Certificate;
  /** Where the certificate came from: "--to", a file path, or "" when none was found. */
  source: string;
}

export interface ResolvedRecipients {
  certificates: Certificate[];
  matches: RecipientMatch[];
  warnings: ComposeWarning[];
}

function isCurrent(cert: Certificate, now: Date): boolean {
  return cert.notBefore.getTime() <= now.getTime() && now.getTime() <= cert.notAfter.getTime();
}

/** Of several certificates for one address: a currently valid one, the one valid longest. */
function best(certs: Certificate[], now: Date): Certificate | undefined {
  const ranked = [...certs].sort((a, b) => Number(isCurrent(b, now)) - Number(isCurrent(a, now)) || b.notAfter.getTime() - a.notAfter.getTime());
  return ranked[0];
}

/** The folder's files by lower-cased name (one level, like a trust store folder). */
async function folderIndex(files: FileReader, dir: string): Promise<Map<string, string>> {
  const index = new Map<string, string>();
  let names: string[];
  try {
    names = await files.readDirectory(dir);
  } catch (e) {
    throw new ComposeError([{ code: 'recipient-cert-missing', message: `cannot read the recipients folder ${dir}: ${fileErrorCause(e)}` }]);
  }
  for (const name of names.sort()) index.set(name.toLowerCase(), files.join(dir, name));
  return index;
}

async function certificatesInFile(files: FileReader, path: string): Promise<Certificate[]> {
  try {
    const info = await files.stat(path);
    if (info?.kind !== 'file' || info.size > MAX_STORE_FILE_BYTES) return [];
    const data = await files.readFile(path);
    return data.length > MAX_STORE_FILE_BYTES ? [] : certificatesFromBytes(data, path).certs;
  } catch {
    return [];
  }
}

class FolderLookup {
  private all?: Certificate[];

  private constructor(
    private readonly files: FileReader,
    private readonly dir: string,
    private readonly index: Map<string, string>,
    private readonly now: Date,
  ) {}

  static async open(files: FileReader, dir: string, now: Date): Promise<FolderLookup> {
    return new FolderLookup(files, dir, await folderIndex(files, dir), now);
  }

  /** <address>.<ext>: the certificate in it naming the address, else its first end-entity one. */
  async byFileName(address: string, warnings: ComposeWarning[]): Promise<RecipientMatch | undefined> {
    for (const ext of RECIPIENT_FILE_EXTENSIONS) {
      const path = this.index.get(address + ext);
      if (!path) continue;
      const certs = await certificatesInFile(this.files, path);
      const named = certs.filter((c) => certificateEmails(c).includes(address));
      const cert = best(named, this.now) ?? certs[0];
      if (!cert) continue;
      if (named.length === 0) warnings.push({ code: 'recipient-address', message: `${path} is named after ${address}, but its certificate does not name that address` });
      return { address, certificate: cert, source: path };
    }
    return undefined;
  }

  async bySubjectAltName(address: string): Promise<RecipientMatch | undefined> {
    if (!this.all) this.all = (await loadCertificates(this.files, [this.dir])).certs;
    const cert = best(this.all.filter((c) => certificateEmails(c).includes(address)), this.now);
    return cert ? { address, certificate: cert, source: this.dir } : undefined;
  }
}

/**
 * Resolves the recipients' certificates, reading the folder through `files`. Rejects with ComposeError when a
 * folder is given and an address has no certificate in it (every missing address is named), or when no
 * certificate at all is left.
 */
export async function resolveRecipients(files: FileReader, lookup: RecipientLookup): Promise<ResolvedRecipients> {
  const now = lookup.now ?? new Date();
  const warnings: ComposeWarning[] = [];
  const addresses = [...new Set(lookup.addresses.map(normalizeAddress))];
  const folder = lookup.dir ? await FolderLookup.open(files, lookup.dir, now) : undefined;
  const matches: RecipientMatch[] = [];
  for (const address of addresses) {
    const given = lookup.explicit.find((c) => certificateEmails(c).includes(address));
    const match = given ? { address, certificate: given, source: '--to' } : ((await folder?.byFileName(address, warnings)) ?? (await folder?.bySubjectAltName(address)));
    matches.push(match ?? { address, source: '' });
  }
  const missing = matches.filter((m) => !m.certificate).map((m) => m.address);
  const names = lookup.names ?? CLI_RECIPIENT_NAMES;
  if (folder && missing.length) {
    throw new ComposeError([{ code: 'recipient-cert-missing', message: `no certificate for ${missing.join(', ')} (given with ${names.explicit} or in ${lookup.dir})` }]);
  }
  for (const address of missing) {
    warnings.push({ code: 'recipient-not-covered', message: `${address} is a recipient of the message, but no certificate was given for it: it will not be able to read the message` });
  }
  for (const cert of lookup.explicit) {
    const emails = certificateEmails(cert);
    if (!emails.some((e) => addresses.includes(e))) {
      warnings.push({ code: 'recipient-address', message: `the certificate of ${emails.join(', ') || cert.subject.text} is not for any address in To/Cc/Bcc` });
    }
  }
  const certificates = uniqueByDer([...lookup.explicit, ...matches.flatMap((m) => (m.certificate ? [m.certificate] : []))]);
  if (certificates.length === 0) throw new ComposeError([{ code: 'no-recipients', message: `no recipient certificate: give ${names.explicit} or ${names.dir}` }]);
  return { certificates, matches, warnings };
}

function uniqueByDer(certs: Certificate[]): Certificate[] {
  const seen = new Map<string, Certificate>();
  for (const c of certs) seen.set(c.der.toString('base64'), c);
  return [...seen.values()];
}

