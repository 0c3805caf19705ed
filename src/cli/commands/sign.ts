/**
 * `smime sign IN (--cert C --key K | --p12 P) -o OUT`: signs a message (multipart/signed by default, --opaque
 * for signed-data). Exit 0 written, 1 refused (identity checks without --force), 2 usage or unreadable input.
 * The shared pieces of the write commands (identity, output, report) live here too.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { KeyError, loadIdentity } from '../../core/keys';
import { ComposeError, signMessage, writeFileAtomic, type ComposeResult, type RefusalCode, type SignDigestName, type SignerIdentity } from '../../core/smime/compose';
import { loadCertificates } from '../../core/x509/trustStore';
import { InputError, OUTPUT_OPTIONS, UsageError, parse } from '../args';
import { passphraseFrom, readInput } from '../context';

export const IDENTITY_OPTIONS = {
  cert: { type: 'string' },
  key: { type: 'string' },
  p12: { type: 'string' },
  'passphrase-env': { type: 'string' },
  /** Intermediate certificates to ship with the signature when the cert file does not hold them. */
  certfile: { type: 'string', multiple: true },
} as const;

export const SIGNING_OPTIONS = {
  opaque: { type: 'boolean' },
  pss: { type: 'boolean' },
  digest: { type: 'string' },
} as const;

export const WRITE_OPTIONS = {
  ...OUTPUT_OPTIONS,
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  'protect-headers': { type: 'boolean' },
} as const;

/** Refusals --force may override: the recipient's client will still judge them. */
const FORCEABLE = new Set<RefusalCode>(['cert-expired', 'cert-not-yet-valid', 'key-usage', 'ext-key-usage', 'recipient-expired']);
const DIGESTS: readonly string[] = ['sha256', 'sha384', 'sha512'];

export function digestFrom(value: string | undefined): SignDigestName | undefined {
  if (value === undefined) return undefined;
  const digest = value.toLowerCase().replace('-', '');
  if (!DIGESTS.includes(digest)) throw new UsageError(`--digest must be one of ${DIGESTS.join(', ')}`);
  return digest as SignDigestName;
}

/** The signer from --p12 or --cert/--key. A key that does not match its certificate is a refusal (exit 1). */
export function signerFrom(values: { cert?: string; key?: string; p12?: string; 'passphrase-env'?: string; certfile?: string[] }): SignerIdentity {
  if (!values.p12 && !(values.cert && values.key)) throw new UsageError('give --cert and --key, or --p12');
  if (values.p12 && (values.cert || values.key)) throw new UsageError('give either --p12 or --cert/--key, not both');
  const passphrase = passphraseFrom(values);
  let identity;
  try {
    identity = values.p12 ? loadIdentity({ p12Path: values.p12, passphrase }) : loadIdentity({ certPath: values.cert, keyPath: values.key, passphrase });
  } catch (e) {
    if (e instanceof KeyError && e.code === 'key-mismatch') throw new ComposeError([{ code: 'key-mismatch', message: e.message }]);
    throw new InputError((e as Error).message);
  }
  const extra = loadCertificates(values.certfile ?? []);
  if (extra.problems.length) throw new InputError(`--certfile: ${extra.problems.join('; ')}`);
  return { privateKey: identity.privateKey, certificate: identity.certificate, chain: [...identity.chain, ...extra.certs] };
}

/** -o is required and must not be the input (same path, or the same file through a link). */
export function outputPath(out: string | undefined, input: string): string {
  if (!out) throw new UsageError('-o OUT is required');
  if (resolve(out) === resolve(input)) throw new UsageError('-o must not name the input file');
  if (existsSync(out)) {
    const [a, b] = [statSync(out), statSync(input)];
    if (a.ino === b.ino && a.dev === b.dev) throw new UsageError('-o must not name the input file');
  }
  return out;
}

/** What was changed and why, then the warnings: to stderr, never the content itself. */
export function printReport(result: Pick<ComposeResult, 'preflight' | 'warnings'>): void {
  const lines: string[] = [];
  if (result.preflight.length) {
    lines.push(`preflight: ${result.preflight.length} change(s) before protecting the content`);
    for (const c of result.preflight) lines.push(`  part ${c.path}: ${c.change} (${c.reason})`);
  } else {
    lines.push('preflight: content already ESP-safe, nothing changed');
  }
  for (const w of result.warnings) lines.push(`warning: ${w.message}`);
  process.stderr.write(lines.join('\n') + '\n');
}

/** Runs a write operation: refusals exit 1, success writes OUT atomically and exits 0. */
export function runWrite(command: string, values: { json?: boolean }, out: string, done: string, operation: () => ComposeResult): number {
  let result: ComposeResult;
  try {
    result = operation();
  } catch (e) {
    if (!(e instanceof ComposeError)) throw e;
    for (const p of e.problems) process.stderr.write(`smime ${command}: refused: ${p.message}\n`);
    if (e.problems.every((p) => FORCEABLE.has(p.code))) {
      process.stderr.write(`smime ${command}: nothing was written; --force writes it anyway\n`);
    }
    if (values.json) process.stdout.write(JSON.stringify({ output: null, refused: e.problems, preflight: [], warnings: [] }, null, 2) + '\n');
    return 1;
  }
  writeFileAtomic(out, result.parts);
  printReport(result);
  process.stderr.write(`${done}: ${out}\n`);
  if (values.json) process.stdout.write(JSON.stringify({ output: out, preflight: result.preflight, warnings: result.warnings }, null, 2) + '\n');
  return 0;
}

export async function runSign(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...IDENTITY_OPTIONS, ...SIGNING_OPTIONS, ...WRITE_OPTIONS }, { min: 1, max: 1, names: 'IN' });
  const out = outputPath(values.out, positionals[0]);
  const digest = digestFrom(values.digest);
  const input = await readInput(positionals[0]);
  const form = values.opaque ? 'opaque signed-data' : 'multipart/signed';
  return runWrite('sign', values, out, `signed (${form})`, () =>
    signMessage({
      input,
      signer: signerFrom(values),
      detached: !values.opaque,
      digest,
      pss: values.pss ?? false,
      protectHeaders: values['protect-headers'] ?? false,
      force: values.force ?? false,
    }),
  );
}
