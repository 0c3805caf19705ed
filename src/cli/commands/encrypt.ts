/**
 * `smime encrypt IN --to CERT... [--recipients-dir DIR] -o OUT` (or `IN... --out-dir DIR`): encrypts messages
 * for their recipients and, by default, for the sender (--cert or --p12), so the sent copy stays readable. Exit 0
 * written, 1 refused (a recipient without a certificate, an expired certificate without --force), 2 usage or
 * unreadable input.
 */
import { fileErrorCause, loadIdentity, encryptMessage, messageAddresses, saveSignerCertificates, resolveRecipients, parseBasicConstraints, certificatesFromBytes, type ContentCipherName, type ResolvedRecipients, type Certificate } from '../../core';
import { InputError, UsageError, parse } from '../args';
import { passphraseFrom, readInputSync } from '../context';
import { nodeFiles } from '../nodeFiles';
import { once, runWrites, WRITE_OPTIONS } from './output';
import { stdout } from '../stdout';
import { writeStderr } from '../stderr';

export const RECIPIENT_OPTIONS = {
  to: { type: 'string', multiple: true },
  'recipients-dir': { type: 'string' },
  cipher: { type: 'string' },
  oaep: { type: 'boolean' },
  'no-self': { type: 'boolean' },
} as const;

const CIPHERS: readonly string[] = ['aes-256-cbc', 'aes-128-cbc', 'aes-192-cbc', 'aes-128-gcm', 'aes-256-gcm'];

export function cipherFrom(value: string | undefined): ContentCipherName | undefined {
  if (value === undefined) return undefined;
  const cipher = value.toLowerCase();
  if (!CIPHERS.includes(cipher)) throw new UsageError(`--cipher must be one of ${CIPHERS.join(', ')}`);
  return cipher as ContentCipherName;
}

/** The end-entity certificate of a file (a PEM may carry its chain too). */
export function certificateFile(path: string): Certificate {
  const { certs, problems } = certificatesFromBytes(readInputSync(path), path);
  const leaf = certs.find((c) => !parseBasicConstraints(c)?.ca) ?? certs[0];
  if (!leaf) throw new InputError(`${path} holds no certificate${problems.length ? ` (${problems.join('; ')})` : ''}`);
  return leaf;
}

/**
 * Each message's recipients: the explicit --to certificates (read once, when first needed, however many messages
 * there are) plus the folder lookup for its own To/Cc/Bcc addresses. The returned function throws ComposeError.
 */
export function recipientsResolver(values: { to?: string[]; 'recipients-dir'?: string }): (input: Buffer) => Promise<ResolvedRecipients> {
  const explicit = once(() => {
    if (!values.to?.length && !values['recipients-dir']) throw new UsageError('give --to CERT (repeatable) or --recipients-dir DIR');
    return (values.to ?? []).map(certificateFile);
  });
  return async (input) => {
    const a = messageAddresses(input);
    const addresses = [...a.to, ...a.cc, ...a.bcc].map((m) => m.address);
    return resolveRecipients(nodeFiles, { explicit: explicit(), dir: values['recipients-dir'], addresses });
  };
}

async function selfFrom(values: { cert?: string; p12?: string; 'passphrase-env'?: string; 'no-self'?: boolean }): Promise<Certificate | undefined> {
  if (values['no-self']) return undefined;
  if (values.cert) return certificateFile(values.cert);
  if (values.p12) {
    try {
      return (await loadIdentity(nodeFiles, { p12Path: values.p12, passphrase: passphraseFrom(values) })).certificate;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new InputError((e as Error).message);
    }
  }
  throw new UsageError('give your own certificate (--cert or --p12) so you can read what you sent, or --no-self');
}

export async function runEncrypt(argv: string[]): Promise<number> {
  const options = { ...RECIPIENT_OPTIONS, ...WRITE_OPTIONS, cert: { type: 'string' }, p12: { type: 'string' }, 'passphrase-env': { type: 'string' } } as const;
  const { values, positionals } = parse(argv, options, { min: 1, max: Infinity, names: 'IN' });
  const cipher = cipherFrom(values.cipher);
  const self = await selfFrom(values);
  const recipientsOf = recipientsResolver(values);
  return runWrites('encrypt', values, positionals, 'encrypted', async (input) => {
    const resolved = await recipientsOf(input);
    const result = encryptMessage({
      input,
      recipients: resolved.certificates,
      self,
      includeSelf: !values['no-self'],
      cipher,
      oaep: values.oaep ?? false,
      protectHeaders: values['protect-headers'] ?? false,
      force: values.force ?? false,
    });
    // Added in place: a copy of the result ({ ...result }) would read `message`, joining it in memory.
    result.warnings.unshift(...resolved.warnings);
    return result;
  });
}

/**
 * `smime cert MESSAGE --save-recipient DIR`: keeps the certificate of every signer whose signature verifies as
 * DIR/<address>.pem, for `smime encrypt --recipients-dir DIR`. Exit 0 when all were saved or already there,
 * 1 when none could be saved or an existing different file was kept.
 */
export async function saveRecipients(message: Buffer, dir: string, json: boolean): Promise<number> {
  let info;
  try {
    info = await nodeFiles.stat(dir);
  } catch (e) {
    throw new InputError(`cannot use ${dir}: ${fileErrorCause(e)}`);
  }
  if (!info) throw new InputError(`cannot use ${dir}: ENOENT`);
  if (info.kind !== 'directory') throw new InputError(`${dir} is not a folder`);
  const result = await saveSignerCertificates(nodeFiles, message, dir);
  for (const s of result.saved) writeStderr(`${s.status === 'refused' ? 'refused: ' : ''}${s.message}\n`);
  for (const why of result.skipped) writeStderr(`skipped: ${why}\n`);
  if (json) stdout().write(JSON.stringify(result, null, 2) + '\n');
  const ok = result.saved.length > 0 && result.saved.every((s) => s.status !== 'refused');
  if (result.saved.length === 0) writeStderr('no certificate saved: the message has no signature that verifies\n');
  return ok ? 0 : 1;
}
