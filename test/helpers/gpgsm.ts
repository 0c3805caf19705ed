// GnuPG's S/MIME tool (used by KMail and Kleopatra) in a throw-away GNUPGHOME. gpgsm 2.2 needs: a legacy PKCS#12
// (it cannot read PBES2/AES), a trustlist.txt entry for the root, CRL checks and dirmngr off (no network here),
// and loopback pinentry. It starts its own gpg-agent, which closeGpgsmHome stops.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atPkiCleanup, TEST_PASSPHRASE, TestIdentity, TestPki, workFile } from './pki';

export interface GpgsmHome {
  home: string;
}

export function gpgsmAvailable(): boolean {
  return existsSync('/usr/bin/gpgsm') && existsSync('/usr/bin/gpgconf');
}

interface Run { ok: boolean; stdout: string; stderr: string }

function gpgsm(home: GpgsmHome, args: string[], input?: string): Run {
  try {
    const stdout = execFileSync('gpgsm', ['--batch', '--pinentry-mode', 'loopback', ...args], {
      env: { ...process.env, GNUPGHOME: home.home }, input, encoding: 'latin1', stdio: ['pipe', 'pipe', 'pipe'],
    });
    return { ok: true, stdout, stderr: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

function mustGpgsm(home: GpgsmHome, args: string[], input?: string): Run {
  const r = gpgsm(home, args, input);
  if (!r.ok) throw new Error(`gpgsm ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

let homeCount = 0;

/**
 * A GNUPGHOME that trusts the test root and holds the keys of `users` (RSA only: gpgsm 2.2.40 crashes importing a
 * PKCS#12 with an EC key). Imported keys are protected with TEST_PASSPHRASE.
 */
export function createGpgsmHome(pki: TestPki, users: TestIdentity[]): GpgsmHome {
  homeCount += 1;
  const home = { home: join(pki.dir, `gnupg-${homeCount}`) };
  mkdirSync(home.home, { recursive: true, mode: 0o700 });
  // Also on a crash or an early exit; gpgconf --kill on a stopped agent is harmless.
  atPkiCleanup(() => closeGpgsmHome(home));
  writeFileSync(join(home.home, 'gpgsm.conf'), 'disable-crl-checks\ndisable-dirmngr\n');
  writeFileSync(join(home.home, 'gpg-agent.conf'), 'allow-loopback-pinentry\n');
  // "S relax": a root for S/MIME whose basic constraints are not checked strictly (gpgsm trustlist.txt format).
  writeFileSync(join(home.home, 'trustlist.txt'), `${pki.root.sha1} S relax\n`);
  mustGpgsm(home, ['--import', pki.root.cert, pki.inter.cert]);
  for (const user of users) {
    if (user.kind !== 'rsa') throw new Error(`gpgsm cannot import the EC key of ${user.name}`);
    importLegacyP12(home, user);
  }
  return home;
}

/**
 * gpgsm 2.2's PKCS#12 reader now and then rejects a valid 3DES file ("decryption failed", about one import in
 * six here); a fresh export (new salt and IV) imports. So: try the file, then up to two fresh exports.
 */
function importLegacyP12(home: GpgsmHome, user: TestIdentity): void {
  let file = user.p12Legacy;
  let last: Run | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    last = gpgsm(home, ['--passphrase-fd', '0', '--import', file], TEST_PASSPHRASE);
    if (last.ok) return;
    file = `${user.p12Legacy}.retry${attempt}.p12`;
    execFileSync('openssl', ['pkcs12', '-export', '-legacy', '-inkey', user.key, '-in', user.cert, '-passout', `pass:${TEST_PASSPHRASE}`, '-out', file], { stdio: 'ignore' });
  }
  throw new Error(`gpgsm --import ${user.p12Legacy} failed three times: ${last?.stderr}`);
}

/** Stops the gpg-agent this home started (only that one: it is addressed by its home directory). */
export function closeGpgsmHome(home: GpgsmHome): void {
  try {
    execFileSync('gpgconf', ['--homedir', home.home, '--kill', 'gpg-agent'], { stdio: 'ignore' });
  } catch {
    // The agent may never have started.
  }
}

export interface GpgsmSignOptions {
  opaque?: boolean;
  digest?: 'SHA256' | 'SHA384' | 'SHA512';
}

/** Raw CMS SignedData by `gpgsm --detach-sign` or `--sign` (opaque). */
export function gpgsmSignDer(pki: TestPki, home: GpgsmHome, signer: TestIdentity, content: Buffer, options: GpgsmSignOptions = {}): Buffer {
  const input = workFile(pki, 'gpgsm-content.bin', content);
  const out = workFile(pki, 'gpgsm-signed.der');
  mustGpgsm(home, ['--passphrase-fd', '0', options.opaque ? '--sign' : '--detach-sign', '-u', signer.email,
    '--digest-algo', options.digest ?? 'SHA256', '-o', out, input], TEST_PASSPHRASE);
  return readFileSync(out);
}

/** Raw CMS EnvelopedData by `gpgsm --encrypt` (RSA PKCS#1 v1.5 key transport). */
export function gpgsmEncryptDer(pki: TestPki, home: GpgsmHome, recipients: TestIdentity[], content: Buffer,
  cipher: 'AES128' | 'AES256' | '3DES' = 'AES256'): Buffer {
  const input = workFile(pki, 'gpgsm-plain.bin', content);
  const out = workFile(pki, 'gpgsm-enveloped.der');
  mustGpgsm(home, ['--encrypt', ...recipients.flatMap((r) => ['-r', r.email]), '--cipher-algo', cipher, '-o', out, input]);
  return readFileSync(out);
}

export interface GpgsmVerifyResult {
  /** GOODSIG + VALIDSIG + TRUST_FULLY/ULTIMATE on the status fd. */
  ok: boolean;
  status: string;
  /** The signed content of an opaque signature. */
  output: Buffer;
}

/** `gpgsm --verify` of raw CMS (with `content` for a detached signature). */
export function gpgsmVerifyDer(pki: TestPki, home: GpgsmHome, der: Buffer, content?: Buffer): GpgsmVerifyResult {
  const sig = workFile(pki, 'gpgsm-verify.der', der);
  const out = workFile(pki, 'gpgsm-verified.bin');
  const args = content ? ['--status-fd', '1', '--verify', sig, workFile(pki, 'gpgsm-data.bin', content)]
    : ['--status-fd', '1', '--output', out, '--verify', sig];
  const r = gpgsm(home, args);
  const ok = /\bGOODSIG\b/.test(r.stdout) && /\bVALIDSIG\b/.test(r.stdout) && /\bTRUST_(FULLY|ULTIMATE)\b/.test(r.stdout);
  return { ok, status: r.stdout, output: !content && existsSync(out) ? readFileSync(out) : Buffer.alloc(0) };
}

/** `gpgsm --decrypt` of raw EnvelopedData with the keys in `home`. */
export function gpgsmDecryptDer(pki: TestPki, home: GpgsmHome, der: Buffer): Buffer {
  const input = workFile(pki, 'gpgsm-decrypt.der', der);
  const out = workFile(pki, 'gpgsm-decrypted.bin');
  mustGpgsm(home, ['--passphrase-fd', '0', '--decrypt', '-o', out, input], TEST_PASSPHRASE);
  return readFileSync(out);
}
