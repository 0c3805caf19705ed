// Shared pieces of the CMS creation tests: identities from the test PKI as builder inputs, an Ed25519 signer
// issued by the test intermediate, and raw-DER calls of `openssl cms` (the MIME-level helpers take S/MIME).
import { execFileSync } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { runOpenssl } from '../../helpers/openssl';
import { TEST_PASSPHRASE, type TestPki, workFile } from '../../helpers/pki';
import { Certificate } from '../../../src/core/x509/certificate';
import { certificatesFromBytes } from '../../../src/core/x509/trustStore';

/** The files and loaded objects of one key holder. */
export interface BuildIdentity {
  email: string;
  certPath: string;
  keyPath: string;
  privateKey: KeyObject;
  certificate: Certificate;
  chain: Certificate[];
}

export function loadCert(path: string): Certificate {
  const { certs } = certificatesFromBytes(readFileSync(path));
  if (!certs[0]) throw new Error(`no certificate in ${path}`);
  return certs[0];
}

export function identityOf(pki: TestPki, id: { email: string; cert: string; key: string }): BuildIdentity {
  return {
    email: id.email,
    certPath: id.cert,
    keyPath: id.key,
    privateKey: createPrivateKey(readFileSync(id.key)),
    certificate: loadCert(id.cert),
    chain: [loadCert(pki.inter.cert)],
  };
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A user with a key of `algorithm` (genpkey name: ED25519, ED448, X25519, RSA-PSS) certified by the test intermediate.
 * X25519 cannot sign its own request, so its certificate is made from a throw-away key's request with
 * -force_pubkey.
 */
export function issueUser(pki: TestPki, algorithm: 'ED25519' | 'ED448' | 'X25519' | 'RSA-PSS', cn: string, email: string, keyUsage: string): BuildIdentity {
  const key = workFile(pki, `${cn}.key`);
  const csr = workFile(pki, `${cn}.csr`);
  const cert = workFile(pki, `${cn}.pem`);
  const ext = workFile(pki, `${cn}.ext`, [
    'basicConstraints=CA:FALSE', `keyUsage=critical,${keyUsage}`, 'extendedKeyUsage=emailProtection',
    `subjectAltName=email:${email}`, 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always', '',
  ].join('\n'));
  openssl(['genpkey', '-algorithm', algorithm, '-out', key]);
  const subj = `/CN=${cn}/emailAddress=${email}`;
  const extra: string[] = [];
  if (algorithm === 'X25519') {
    const requestKey = workFile(pki, `${cn}-req.key`);
    const pub = workFile(pki, `${cn}.pub`);
    openssl(['genpkey', '-algorithm', 'ED25519', '-out', requestKey]);
    openssl(['pkey', '-in', key, '-pubout', '-out', pub]);
    openssl(['req', '-new', '-key', requestKey, '-subj', subj, '-out', csr]);
    extra.push('-force_pubkey', pub);
  } else {
    openssl(['req', '-new', '-key', key, '-subj', subj, '-out', csr]);
  }
  openssl(['x509', '-req', '-in', csr, '-CA', pki.inter.cert, '-CAkey', pki.inter.key, '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6)}`,
    '-days', '3650', '-extfile', ext, ...extra, '-out', cert]);
  return identityOf(pki, { email, cert, key });
}

export interface OpensslOutcome {
  ok: boolean;
  output: Buffer;
  stderr: string;
}

/** `openssl cms -verify -binary -inform DER` of a detached (with `content`) or opaque SignedData. */
export function opensslVerifyDer(pki: TestPki, der: Buffer, content?: Buffer, extraTrust: string[] = []): OpensslOutcome {
  const sig = workFile(pki, 'build-sig.der', der);
  const out = workFile(pki, 'build-verified.bin');
  const trust = workFile(pki, 'build-trust.pem', [pki.root.cert, ...extraTrust].map((f) => readFileSync(f, 'utf8')).join('\n'));
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-CAfile', trust, '-out', out];
  if (content) args.push('-content', workFile(pki, 'build-content.bin', content));
  const r = runOpenssl(args);
  return { ok: r.ok, output: r.ok ? readFileSync(out) : Buffer.alloc(0), stderr: r.stderr };
}

/** `openssl cms -decrypt -inform DER` for one recipient. */
export function opensslDecryptDer(pki: TestPki, der: Buffer, recipient: BuildIdentity): OpensslOutcome {
  const input = workFile(pki, 'build-enveloped.der', der);
  const out = workFile(pki, 'build-decrypted.bin');
  const r = runOpenssl(['cms', '-decrypt', '-binary', '-inform', 'DER', '-in', input, '-recip', recipient.certPath, '-inkey', recipient.keyPath, '-out', out]);
  return { ok: r.ok, output: r.ok ? readFileSync(out) : Buffer.alloc(0), stderr: r.stderr };
}

/**
 * `gpgsm --decrypt` judged by its status line DECRYPTION_OKAY and the plaintext, not its exit code: gpgsm 2.2
 * exits 2 when a RecipientInfo before its own names a certificate it does not hold, though it decrypts (its own
 * two-recipient messages behave the same).
 */
export function gpgsmDecryptStatus(pki: TestPki, home: { home: string }, der: Buffer): { ok: boolean; output: Buffer; status: string } {
  const input = workFile(pki, 'build-gpgsm.der', der);
  const out = workFile(pki, 'build-gpgsm.out');
  let status: string;
  try {
    execFileSync('gpgsm', ['--batch', '--pinentry-mode', 'loopback', '--passphrase-fd', '0', '--status-fd', '2', '--decrypt', '-o', out, input],
      { env: { ...process.env, GNUPGHOME: home.home }, input: TEST_PASSPHRASE, stdio: ['pipe', 'pipe', 'pipe'] });
    status = 'exit 0';
  } catch (e) {
    status = String((e as { stderr?: Buffer }).stderr ?? e);
  }
  const ok = status === 'exit 0' || /\[GNUPG:\] DECRYPTION_OKAY/.test(status);
  return { ok, output: ok && existsSync(out) ? readFileSync(out) : Buffer.alloc(0), status };
}
