/** Turns command-line options into trust settings and decryption keys for the core. */
import { readFileSync, statSync } from 'node:fs';
import { loadIdentity, loadCertificates, loadCrls, systemAnchors, type RecipientKey, type AnalyzeOptions } from '../core';
import { InputError, UsageError } from './args';
import { nodeFiles } from './nodeFiles';
import { takeReadAhead } from './readAhead';

/** A file named on the command line; unreadable is an InputError (exit 2). */
export function readInputSync(path: string): Buffer {
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path} is a folder, not a file`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return readFileSync(path);
}

/** The command's input: the bytes read ahead while the command loaded (readAhead.ts), else read now. */
export async function readInput(path: string): Promise<Buffer> {
  return (await takeReadAhead(path)) ?? readInputSync(path);
}

export function passphraseFrom(values: { 'passphrase-env'?: string }): string | undefined {
  const name = values['passphrase-env'];
  if (!name) return undefined;
  const value = process.env[name];
  if (value === undefined) throw new UsageError(`environment variable ${name} (from --passphrase-env) is not set`);
  return value;
}

function failOnProblems(problems: string[], what: string): void {
  if (problems.length) throw new InputError(`${what}: ${problems.join('; ')}`);
}

export async function trustFrom(values: {
  ca?: string[];
  crl?: string[];
  certfile?: string[];
  at?: string;
  'allow-sha1'?: boolean;
  'system-ca'?: boolean;
}): Promise<AnalyzeOptions> {
  const anchors = await loadCertificates(nodeFiles, values.ca ?? []);
  failOnProblems(anchors.problems, 'trust anchors (--ca)');
  const extra = await loadCertificates(nodeFiles, values.certfile ?? []);
  failOnProblems(extra.problems, 'certificates (--certfile)');
  const crls = await loadCrls(nodeFiles, values.crl ?? []);
  failOnProblems(crls.problems, 'CRLs (--crl)');
  let at: Date | undefined;
  if (values.at) {
    at = new Date(values.at);
    if (isNaN(at.getTime())) throw new UsageError(`--at "${values.at}" is not an ISO-8601 time`);
  }
  return {
    anchors: [...anchors.certs, ...(values['system-ca'] ? systemAnchors() : [])],
    extraCertificates: extra.certs,
    crls: crls.crls,
    at,
    allowSha1: values['allow-sha1'] ?? false,
  };
}

/** Keys from repeated `--key K --cert C` pairs (in order) and `--p12 P`. */
export async function keysFrom(values: { key?: string[]; cert?: string[]; p12?: string[]; 'passphrase-env'?: string }): Promise<RecipientKey[]> {
  const passphrase = passphraseFrom(values);
  const keys: RecipientKey[] = [];
  const keyPaths = values.key ?? [];
  const certPaths = values.cert ?? [];
  if (certPaths.length > keyPaths.length) throw new UsageError('--cert needs a matching --key');
  try {
    for (const [i, keyPath] of keyPaths.entries()) {
      const id = await loadIdentity(nodeFiles, { keyPath, certPath: certPaths[i], passphrase });
      keys.push({ privateKey: id.privateKey, certificate: id.certificate });
    }
    for (const p12Path of values.p12 ?? []) {
      const id = await loadIdentity(nodeFiles, { p12Path, passphrase: passphrase ?? '' });
      keys.push({ privateKey: id.privateKey, certificate: id.certificate });
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new InputError((e as Error).message);
  }
  return keys;
}
