/**
 * `smime sign IN (--cert C --key K | --p12 P) -o OUT` (or `IN... --out-dir DIR`): signs messages
 * (multipart/signed by default, --opaque for signed-data). Exit 0 written, 1 refused (identity checks without
 * --force), 2 usage or unreadable input. The identity options are shared with sign-encrypt; output.ts writes.
 */
import { KeyError, loadIdentity, ComposeError, signMessage, loadCertificates, type SigningDigestName, type SignerIdentity } from '../../core';
import { InputError, UsageError, parse } from '../args';
import { passphraseFrom } from '../context';
import { nodeFiles } from '../nodeFiles';
import { once, runWrites, WRITE_OPTIONS } from './output';

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

const DIGESTS: readonly string[] = ['sha256', 'sha384', 'sha512'];

export function digestFrom(value: string | undefined): SigningDigestName | undefined {
  if (value === undefined) return undefined;
  const digest = value.toLowerCase().replace('-', '');
  if (!DIGESTS.includes(digest)) throw new UsageError(`--digest must be one of ${DIGESTS.join(', ')}`);
  return digest as SigningDigestName;
}

/** The signer from --p12 or --cert/--key. A key that does not match its certificate is a refusal (exit 1). */
export async function signerFrom(values: { cert?: string; key?: string; p12?: string; 'passphrase-env'?: string; certfile?: string[] }): Promise<SignerIdentity> {
  if (!values.p12 && !(values.cert && values.key)) throw new UsageError('give --cert and --key, or --p12');
  if (values.p12 && (values.cert || values.key)) throw new UsageError('give either --p12 or --cert/--key, not both');
  const passphrase = passphraseFrom(values);
  let identity;
  try {
    identity = await loadIdentity(nodeFiles, values.p12 ? { p12Path: values.p12, passphrase } : { certPath: values.cert, keyPath: values.key, passphrase });
  } catch (e) {
    if (e instanceof KeyError && e.code === 'key-mismatch') throw new ComposeError([{ code: 'key-mismatch', message: e.message }]);
    throw new InputError((e as Error).message);
  }
  const extra = await loadCertificates(nodeFiles, values.certfile ?? []);
  if (extra.problems.length) throw new InputError(`--certfile: ${extra.problems.join('; ')}`);
  return { privateKey: identity.privateKey, certificate: identity.certificate, chain: [...identity.chain, ...extra.certs] };
}

export async function runSign(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...IDENTITY_OPTIONS, ...SIGNING_OPTIONS, ...WRITE_OPTIONS }, { min: 1, max: Infinity, names: 'IN' });
  const digest = digestFrom(values.digest);
  const form = values.opaque ? 'opaque signed-data' : 'multipart/signed';
  const signer = once(() => signerFrom(values));
  return runWrites('sign', values, positionals, `signed (${form})`, async (input) =>
    signMessage({
      input,
      signer: await signer(),
      detached: !values.opaque,
      digest,
      pss: values.pss ?? false,
      protectHeaders: values['protect-headers'] ?? false,
      force: values.force ?? false,
    }),
  );
}
