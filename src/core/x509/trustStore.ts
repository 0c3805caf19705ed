/**
 * Loading certificates and CRLs from files and folders: PEM (many blocks), DER, and PKCS#7 "certs-only"
 * bundles (.p7b/.p7c, RFC 8551 §3.8), which is how CAs and mail clients export chains.
 */
import { Asn1Node, Tag, decodeOid, parseDer } from '../asn1/der';
import { OID } from '../asn1/oids';
import { fileErrorCause, type FileReader } from '../files';
import { Certificate, tryParseCertificate } from './certificate';
import { Crl, tryParseCrl } from './crl';
import { decodePemBlocks, looksLikePem } from './pem';

/** Extensions read from a folder (one level, no recursion: a folder is a flat store, like OpenSSL's -CApath). */
export const CERTIFICATE_FILE_EXTENSIONS = ['.pem', '.crt', '.cer', '.der', '.p7b', '.p7c'];
export const CRL_FILE_EXTENSIONS = ['.pem', '.crl', '.der'];
/** Bigger files are not certificate stores; reading them would only waste memory. */
export const MAX_STORE_FILE_BYTES = 32 * 1024 * 1024;

const CERTIFICATE_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'];
const CRL_LABELS = ['X509 CRL', 'CRL'];
const PKCS7_LABELS = ['PKCS7', 'CMS', 'PKCS #7 SIGNED DATA'];

/** Problems that only say a file holds the other kind of object (a folder may mix certificates and CRLs). */
const OTHER_KIND = /: (no (CERTIFICATE|X509 CRL) block|a CRL, not a certificate|a certificate, not a CRL)$/;

export interface Loaded<T> {
  items: T[];
  problems: string[];
}

/** The certificates [0] and crls [1] sets of a degenerate SignedData (RFC 5652 §5.1), if `der` is one. */
function pkcs7Sets(der: Buffer): { certs: Asn1Node[]; crls: Asn1Node[] } | undefined {
  try {
    const contentInfo = parseDer(der);
    if (!contentInfo.is(Tag.sequence) || decodeOid(contentInfo.child(0)) !== OID.signedData) return undefined;
    const signedData = contentInfo.child(1).child(0);
    const certs = signedData.children.find((c) => c.isContext(0) && c.constructed)?.children ?? [];
    const crls = signedData.children.find((c) => c.isContext(1) && c.constructed)?.children ?? [];
    return { certs: certs.filter((c) => c.is(Tag.sequence)), crls: crls.filter((c) => c.is(Tag.sequence)) };
  } catch {
    return undefined;
  }
}

/** Every certificate in one file's bytes (PEM bundle, DER certificate or PKCS#7 certs-only). */
export function certificatesFromBytes(data: Buffer, source = 'input'): { certs: Certificate[]; problems: string[] } {
  const certs: Certificate[] = [];
  const problems: string[] = [];
  const addDer = (der: Buffer, where: string) => {
    const p7 = pkcs7Sets(der);
    if (p7) return p7.certs.forEach((c) => addDer(c.raw, where));
    const cert = tryParseCertificate(der);
    if (cert) certs.push(cert);
    else problems.push(tryParseCrl(der) ? `${where}: a CRL, not a certificate` : `${where}: not a certificate`);
  };
  if (looksLikePem(data)) {
    const blocks = decodePemBlocks(data);
    blocks.forEach((block, i) => {
      if (CERTIFICATE_LABELS.includes(block.label) || PKCS7_LABELS.includes(block.label)) addDer(block.der, `${source} block ${i + 1}`);
    });
    if (certs.length === 0 && problems.length === 0) problems.push(`${source}: no CERTIFICATE block`);
  } else {
    addDer(data, source);
  }
  return { certs, problems };
}

/** Every CRL in one file's bytes (PEM blocks, DER, or the crls set of a PKCS#7 bundle). */
export function crlsFromBytes(data: Buffer, source = 'input'): { crls: Crl[]; problems: string[] } {
  const crls: Crl[] = [];
  const problems: string[] = [];
  const addDer = (der: Buffer, where: string) => {
    const p7 = pkcs7Sets(der);
    if (p7) return p7.crls.forEach((c) => addDer(c.raw, where));
    const crl = tryParseCrl(der);
    if (crl) crls.push(crl);
    else problems.push(tryParseCertificate(der) ? `${where}: a certificate, not a CRL` : `${where}: not a CRL`);
  };
  if (looksLikePem(data)) {
    decodePemBlocks(data).forEach((block, i) => {
      if (CRL_LABELS.includes(block.label) || PKCS7_LABELS.includes(block.label)) addDer(block.der, `${source} block ${i + 1}`);
    });
    if (crls.length === 0 && problems.length === 0) problems.push(`${source}: no X509 CRL block`);
  } else {
    addDer(data, source);
  }
  return { crls, problems };
}

/** The extension of a file name, lower-cased, with its dot ("" when it has none). */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/**
 * Expands folders (one level, sorted by name so the order never depends on the file system) into the files
 * with one of `extensions`; plain files are kept as given.
 */
async function expandPaths(files: FileReader, paths: string[], extensions: string[], problems: string[]): Promise<{ file: string; size: number; inFolder: boolean }[]> {
  const found: { file: string; size: number; inFolder: boolean }[] = [];
  for (const path of paths) {
    try {
      const info = await files.stat(path);
      if (!info) {
        problems.push(`${path}: not found`);
        continue;
      }
      if (info.kind === 'file') {
        found.push({ file: path, size: info.size, inFolder: false });
        continue;
      }
      for (const name of (await files.readDirectory(path)).sort()) {
        if (!extensions.includes(extensionOf(name))) continue;
        const file = files.join(path, name);
        const entry = await files.stat(file);
        if (entry?.kind === 'file') found.push({ file, size: entry.size, inFolder: true });
      }
    } catch (e) {
      problems.push(`${path}: ${fileErrorCause(e)}`);
    }
  }
  return found;
}

async function loadFiles<T>(files: FileReader, paths: string[], extensions: string[], parse: (data: Buffer, file: string) => Loaded<T>): Promise<Loaded<T>> {
  const problems: string[] = [];
  const items: T[] = [];
  for (const { file, size, inFolder } of await expandPaths(files, paths, extensions, problems)) {
    try {
      if (size > MAX_STORE_FILE_BYTES) {
        problems.push(`${file}: larger than ${MAX_STORE_FILE_BYTES} bytes, skipped`);
        continue;
      }
      const data = await files.readFile(file);
      // The size may have changed between stat and read; the cap holds for what was read.
      if (data.length > MAX_STORE_FILE_BYTES) {
        problems.push(`${file}: larger than ${MAX_STORE_FILE_BYTES} bytes, skipped`);
        continue;
      }
      const loaded = parse(data, file);
      items.push(...loaded.items);
      problems.push(...loaded.problems.filter((p) => !(inFolder && OTHER_KIND.test(p))));
    } catch (e) {
      problems.push(`${file}: ${fileErrorCause(e)}`);
    }
  }
  return { items, problems };
}

/** Certificates from PEM/DER/PKCS#7 files and folders, read through `files`, without duplicates (same DER). */
export async function loadCertificates(files: FileReader, paths: string[]): Promise<{ certs: Certificate[]; problems: string[] }> {
  const { items, problems } = await loadFiles(files, paths, CERTIFICATE_FILE_EXTENSIONS, (data, file) => {
    const r = certificatesFromBytes(data, file);
    return { items: r.certs, problems: r.problems };
  });
  return { certs: uniqueCertificates(items), problems };
}

/** CRLs from PEM/DER/PKCS#7 files and folders, read through `files`. */
export async function loadCrls(files: FileReader, paths: string[]): Promise<{ crls: Crl[]; problems: string[] }> {
  const { items, problems } = await loadFiles(files, paths, CRL_FILE_EXTENSIONS, (data, file) => {
    const r = crlsFromBytes(data, file);
    return { items: r.crls, problems: r.problems };
  });
  return { crls: items, problems };
}

export function uniqueCertificates(certs: Certificate[]): Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => {
    const key = c.der.toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

let cachedSystemAnchors: Certificate[] | undefined;

/** The root certificates bundled with Node (Mozilla's store), for users who opt in to them. */
export function systemAnchors(): Certificate[] {
  if (!cachedSystemAnchors) {
    // node:tls (and net with it) is loaded only for users who opt in to the system store.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { rootCertificates } = require('node:tls') as typeof import('node:tls');
    cachedSystemAnchors = rootCertificates.flatMap((pem) => certificatesFromBytes(Buffer.from(pem), 'node:tls').certs);
  }
  return cachedSystemAnchors;
}
