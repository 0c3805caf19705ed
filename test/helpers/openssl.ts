// OpenSSL `cms` as the reference writer and reader of S/MIME test messages. Signatures are made with -binary over
// CRLF entities (the MIME wrapping is ours), so nested steps never hit OpenSSL's text-mode line-ending conversion.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DigestName, multipartSigned, pkcs7Mime, SignedEntityOptions, SmimeType } from './mime';
import { TestIdentity, TestPki, workFile } from './pki';

export interface ToolResult {
  ok: boolean;
  /** What the tool wrote to its output file (empty when it failed). */
  output: Buffer;
  stderr: string;
}

/** Runs openssl with `args`; a non-zero exit is returned, not thrown. */
export function runOpenssl(args: string[]): { ok: boolean; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, stdout, stderr: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

function mustOpenssl(args: string[]): void {
  const r = runOpenssl(args);
  if (!r.ok) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

export interface SignOptions extends SignedEntityOptions {
  digest?: DigestName;
  /** RSASSA-PSS with salt = 32 (OpenSSL's default maximum salt is refused by gpgsm). */
  pss?: boolean;
  /** Ship the intermediate CA in the SignedData (default true). */
  includeChain?: boolean;
  /** Put the content inside the SignedData (application/pkcs7-mime; smime-type=signed-data). */
  opaque?: boolean;
}

/** Raw CMS SignedData over `content` (detached unless `opaque`). */
export function opensslSignDer(pki: TestPki, signer: TestIdentity, content: Buffer, options: SignOptions = {}): Buffer {
  const input = workFile(pki, 'content.bin', content);
  const out = workFile(pki, 'signed.der');
  const args = ['cms', '-sign', '-binary', '-in', input, '-signer', signer.cert, '-inkey', signer.key,
    '-md', options.digest ?? 'sha256', '-outform', 'DER', '-out', out];
  if (options.includeChain !== false && readFileSync(signer.chain, 'utf8').trim()) args.push('-certfile', signer.chain);
  if (options.opaque) args.push('-nodetach');
  if (options.pss) args.push('-keyopt', 'rsa_padding_mode:pss', '-keyopt', 'rsa_pss_saltlen:32');
  mustOpenssl(args);
  return readFileSync(out);
}

/** A signed entity: multipart/signed around `content`, or application/pkcs7-mime when `opaque`. */
export function opensslSigned(pki: TestPki, signer: TestIdentity, content: Buffer, options: SignOptions = {}): Buffer {
  const der = opensslSignDer(pki, signer, content, options);
  return options.opaque ? pkcs7Mime(der, 'signed-data', options) : multipartSigned(content, der, options.digest ?? 'sha256', options);
}

export type OpensslCipher = 'aes128' | 'aes192' | 'aes256' | 'des3' | 'aes-128-gcm' | 'aes-256-gcm';

export interface EncryptOptions {
  cipher?: OpensslCipher;
  /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 for RSA recipients (RFC 8017, RFC 4055). */
  oaep?: boolean;
  /** X9.63 KDF with SHA-256 for EC recipients (OpenSSL's default is SHA-1). */
  ecdhSha256?: boolean;
}

function recipientArgs(r: TestIdentity, options: EncryptOptions): string[] {
  const args = ['-recip', r.cert];
  if (r.kind === 'rsa' && options.oaep) {
    args.push('-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256', '-keyopt', 'rsa_mgf1_md:sha256');
  }
  if (r.kind !== 'rsa' && options.ecdhSha256) args.push('-keyopt', 'ecdh_kdf_md:sha256');
  return args;
}

/** Raw CMS EnvelopedData (or AuthEnvelopedData for the GCM ciphers) of `content`. */
export function opensslEncryptDer(pki: TestPki, recipients: TestIdentity[], content: Buffer, options: EncryptOptions = {}): Buffer {
  const input = workFile(pki, 'plain.bin', content);
  const out = workFile(pki, 'enveloped.der');
  mustOpenssl(['cms', '-encrypt', '-binary', '-in', input, `-${options.cipher ?? 'aes256'}`,
    ...recipients.flatMap((r) => recipientArgs(r, options)), '-outform', 'DER', '-out', out]);
  return readFileSync(out);
}

/** application/pkcs7-mime entity with the smime-type matching the cipher (RFC 5751, RFC 8551 §3.4). */
export function opensslEncrypted(pki: TestPki, recipients: TestIdentity[], content: Buffer, options: EncryptOptions = {}): Buffer {
  const smimeType: SmimeType = options.cipher?.endsWith('gcm') ? 'authEnveloped-data' : 'enveloped-data';
  return pkcs7Mime(opensslEncryptDer(pki, recipients, content, options), smimeType);
}

/**
 * A whole message as OpenSSL's own S/MIME writer makes it (`openssl cms -sign -crlfeol` with its From/To/Subject),
 * plus the Date and Message-ID it does not write.
 */
export function opensslNativeSignedMessage(pki: TestPki, signer: TestIdentity, content: Buffer, to: string): Buffer {
  const input = workFile(pki, 'native-in.eml', content);
  const out = workFile(pki, 'native-out.eml');
  mustOpenssl(['cms', '-sign', '-in', input, '-signer', signer.cert, '-inkey', signer.key, '-certfile', signer.chain,
    '-md', 'sha256', '-crlfeol', '-from', signer.email, '-to', to, '-subject', 'OpenSSL native', '-out', out]);
  const date = `Date: ${new Date().toUTCString().replace(/GMT$/, '+0000')}\r\nMessage-ID: <native-${Date.now()}@example.com>\r\n`;
  return Buffer.concat([Buffer.from(date), readFileSync(out)]);
}

export interface OpensslVerifyOptions {
  /** Trust anchors (default: the test root). */
  trust?: string[];
  /** CRL files; when given, every certificate in the chain is checked (-crl_check_all). */
  crls?: string[];
  at?: Date;
  /**
   * Default false: text mode. OpenSSL 3.0's S/MIME reader loses the CRs of a multipart/signed part read from a
   * CRLF file, and only text mode (which canonicalises to CRLF again) verifies it. Text mode therefore also
   * accepts LF-saved files; use opensslVerifyDetached for a byte-exact check.
   */
  binary?: boolean;
}

/** One PEM file with the trust anchors and the CRLs: `openssl cms` has no -CRLfile and reads CRLs from -CAfile. */
function trustStoreFile(pki: TestPki, options: OpensslVerifyOptions): string {
  const files = [...(options.trust ?? [pki.root.cert]), ...(options.crls ?? [])];
  return workFile(pki, 'trust.pem', files.map((f) => readFileSync(f, 'utf8')).join('\n'));
}

/** `openssl cms -verify` on an S/MIME entity or message; `output` is the signed content. */
export function opensslVerify(pki: TestPki, message: Buffer, options: OpensslVerifyOptions = {}): ToolResult {
  const input = workFile(pki, 'verify-in.eml', message);
  const out = workFile(pki, 'verify-out.bin');
  const args = ['cms', '-verify', '-in', input, '-CAfile', trustStoreFile(pki, options), '-out', out];
  if (options.binary) args.push('-binary');
  if (options.crls?.length) args.push('-crl_check_all');
  if (options.at) args.push('-attime', String(Math.floor(options.at.getTime() / 1000)));
  const r = runOpenssl(args);
  return { ok: r.ok, output: r.ok ? readFileSync(out) : Buffer.alloc(0), stderr: r.stderr };
}

/** Byte-exact check of a raw detached SignedData over `content` (no MIME parsing, no line-ending changes). */
export function opensslVerifyDetached(pki: TestPki, der: Buffer, content: Buffer, options: OpensslVerifyOptions = {}): ToolResult {
  const sig = workFile(pki, 'detached.der', der);
  const data = workFile(pki, 'detached-content.bin', content);
  const r = runOpenssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data,
    '-CAfile', trustStoreFile(pki, options), '-out', '/dev/null']);
  return { ok: r.ok, output: Buffer.alloc(0), stderr: r.stderr };
}

/** `openssl cms -decrypt` of an S/MIME entity or message for `recipient`. */
export function opensslDecrypt(pki: TestPki, message: Buffer, recipient: TestIdentity): ToolResult {
  const input = workFile(pki, 'decrypt-in.eml', message);
  const out = workFile(pki, 'decrypt-out.bin');
  const r = runOpenssl(['cms', '-decrypt', '-binary', '-in', input, '-recip', recipient.cert, '-inkey', recipient.key, '-out', out]);
  return { ok: r.ok, output: r.ok ? readFileSync(out) : Buffer.alloc(0), stderr: r.stderr };
}

/** Degenerate SignedData with certificates and no SignerInfo (RFC 5652 §5.1 "certs-only"). */
export function opensslCertsOnlyDer(pki: TestPki, certs: string[]): Buffer {
  const out = workFile(pki, 'certs-only.der');
  mustOpenssl(['crl2pkcs7', '-nocrl', ...certs.flatMap((c) => ['-certfile', c]), '-outform', 'DER', '-out', out]);
  return readFileSync(out);
}
