// Shared shapes of the read-side interop table: how a case builds its message, what the CLI must say about it,
// and what an independent implementation (OpenSSL, NSS, gpgsm) must say, so a broken generator is caught apart
// from a broken reader.
import assert from 'node:assert/strict';
import { Envelope, sampleTextEntity, wrapMessage } from '../helpers/mime';
import { opensslDecrypt, opensslVerify, OpensslVerifyOptions } from '../helpers/openssl';
import { TestIdentity, TestPki } from '../helpers/pki';
import { closeGpgsmHome, createGpgsmHome, GpgsmHome } from '../helpers/gpgsm';
import { createNssDb, NssDb } from '../helpers/nss';
import type { CliReport } from './cliRunner';

export interface InteropContext {
  pki: TestPki;
  /** Created on first use; throws when the NSS tools are missing. */
  nss(): NssDb;
  /** Created on first use; throws when gpgsm is missing. */
  gpgsm(): GpgsmHome;
}

/** The context every case builds in; `close` stops the gpg-agent if gpgsm was used. */
export function createInteropContext(pki: TestPki): InteropContext & { close(): void } {
  let nssDb: NssDb | undefined;
  let gpgsmHome: GpgsmHome | undefined;
  return {
    pki,
    nss: () => (nssDb ??= createNssDb(pki, [pki.users.alice, pki.users.ecuser, pki.users.bob])),
    gpgsm: () => (gpgsmHome ??= createGpgsmHome(pki, [pki.users.alice, pki.users.bob])),
    close: () => {
      if (gpgsmHome) closeGpgsmHome(gpgsmHome);
    },
  };
}

/** A generated message plus the pieces sanity checks hand to the peer tools. */
export interface Built {
  message: Buffer;
  /** Raw CMS as the peer tool wrote it. */
  der?: Buffer;
  /** The exact bytes a detached signature covers, or the plaintext of an encryption. */
  content?: Buffer;
  /** An inner entity worth checking on its own (the signed part of a nested or partial message). */
  inner?: Buffer;
}

export type Verdict = 'valid' | 'invalid' | 'untrusted' | 'mismatch' | 'unsigned' | 'error';

export interface Expectation {
  /** Omitted where the contract leaves the verdict open; then only reasons and exit are asserted. */
  verdict?: Verdict;
  /** Codes that must all appear in report.reasons. */
  reasons?: string[];
  /** Defaults to 0 for 'valid' and 1 otherwise. */
  exit?: number;
  check?(report: CliReport | undefined, ctx: InteropContext): void;
}

export interface ReadSideCase {
  name: string;
  tool: 'openssl' | 'nss' | 'gpgsm';
  build(ctx: InteropContext): Built;
  /** `decrypt` cases give their whole argument list in `args`. */
  command?: 'verify' | 'decrypt';
  /** Trust anchors passed as --ca (default: the test root). */
  trust?(ctx: InteropContext): string[];
  /** Extra arguments after `verify FILE --json --ca ...`. */
  args?(ctx: InteropContext): string[];
  /** Line endings of the whole file (default CRLF). */
  lineEnding?: 'crlf' | 'lf' | 'mixed';
  /** Environment for the CLI (e.g. the passphrase variable). */
  env?: Record<string, string>;
  expect: Expectation;
  /** What the independent tool says of the message; throws when the generator did not make what it claims. */
  sanity(ctx: InteropContext, built: Built): void;
}

/** The CLI arguments for a case whose message is in `file`. */
export function cliArgsFor(c: ReadSideCase, ctx: InteropContext, file: string): string[] {
  if (c.command === 'decrypt') return ['decrypt', file, ...(c.args?.(ctx) ?? []), '--json'];
  const trust = (c.trust?.(ctx) ?? [ctx.pki.root.cert]).flatMap((p) => ['--ca', p]);
  return ['verify', file, '--json', ...trust, ...(c.args?.(ctx) ?? [])];
}

/** A file name for a case's message. */
export function caseFileName(c: ReadSideCase): string {
  return `${c.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}.eml`;
}

export function expectedExit(e: Expectation): number {
  return e.exit ?? (e.verdict === 'valid' ? 0 : 1);
}

/** The inner entity every case signs or encrypts; its "Amount: 100" line is the tampering target. */
export const TEXT = sampleTextEntity();
export const TAMPER_FROM = 'Amount: 100';
export const TAMPER_TO = 'Amount: 900';

/** A complete RFC 5322 message from `from` to Bob around `body`. */
export function mail(from: TestIdentity, body: Buffer, extra: Partial<Envelope> = {}): Buffer {
  return wrapMessage({ from: `${from.name} <${from.email}>`, to: 'Bob Example <bob@example.com>', subject: 'Interop test', ...extra }, body);
}

/** OpenSSL must verify `message`; returns the signed content. */
export function opensslAccepts(ctx: InteropContext, message: Buffer, options?: OpensslVerifyOptions): Buffer {
  const r = opensslVerify(ctx.pki, message, options);
  assert.ok(r.ok, `openssl cms -verify rejected the generated message: ${r.stderr}`);
  return r.output;
}

/** OpenSSL must refuse `message` for the reason matched by `why`. */
export function opensslRejects(ctx: InteropContext, message: Buffer, why: RegExp, options?: OpensslVerifyOptions): void {
  const r = opensslVerify(ctx.pki, message, options);
  assert.equal(r.ok, false, 'openssl cms -verify accepted a message meant to fail');
  assert.match(r.stderr, why);
}

/** OpenSSL must decrypt `message` for `recipient`; returns the plaintext. */
export function opensslDecrypts(ctx: InteropContext, message: Buffer, recipient: TestIdentity): Buffer {
  const r = opensslDecrypt(ctx.pki, message, recipient);
  assert.ok(r.ok, `openssl cms -decrypt failed on the generated message: ${r.stderr}`);
  return r.output;
}
