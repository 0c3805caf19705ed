// A throw-away test PKI made with the openssl binary at test time: root CA -> intermediate CA -> one user per
// behaviour the read side must tell apart (good RSA/EC/PSS signers, expired, wrong EKU, wrong key usage, revoked,
// self-signed, recipients). Both CAs are `openssl ca` databases because `openssl x509 -req` in OpenSSL 3.0 cannot
// set notBefore/notAfter (needed for the expired user) and only `openssl ca` can revoke and write CRLs.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Passphrase of every PKCS#12 file and of the NSS/gpgsm key stores built from them. */
export const TEST_PASSPHRASE = 'test-pass';

type KeyKind = 'rsa' | 'p256' | 'p384';

interface UserSpec {
  kind: KeyKind;
  cn: string;
  email: string;
  ext: string;
  /** openssl ca -startdate/-enddate (YYYYMMDDHHMMSSZ); long-lived by default so tests never race the clock. */
  start?: string;
  end?: string;
  selfSigned?: boolean;
}

const SIGNER_EXT = 'keyUsage=critical,digitalSignature,nonRepudiation,keyEncipherment\nextendedKeyUsage=emailProtection';
const EC_SIGNER_EXT = 'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection';

// RSA keys cost ~0.2 s each to generate, EC keys ~5 ms: users whose key type does not matter to their case are EC.
const USERS = {
  alice: { kind: 'rsa', cn: 'Alice Example', email: 'alice@example.com', ext: SIGNER_EXT },
  ecuser: { kind: 'p256', cn: 'EC User', email: 'ecuser@example.com', ext: EC_SIGNER_EXT },
  ec384: { kind: 'p384', cn: 'EC384 User', email: 'ec384@example.com', ext: EC_SIGNER_EXT },
  pssuser: { kind: 'rsa', cn: 'PSS User', email: 'pss@example.com', ext: SIGNER_EXT },
  expired: { kind: 'p256', cn: 'Expired User', email: 'expired@example.com', ext: EC_SIGNER_EXT, start: '20200101000000Z', end: '20210101000000Z' },
  noeku: { kind: 'p256', cn: 'No EKU User', email: 'noeku@example.com', ext: 'keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth' },
  encOnly: { kind: 'rsa', cn: 'Encryption Only', email: 'enconly@example.com', ext: 'keyUsage=critical,keyEncipherment\nextendedKeyUsage=emailProtection' },
  mallory: { kind: 'p256', cn: 'Mallory', email: 'mallory@example.com', ext: EC_SIGNER_EXT },
  revoked: { kind: 'p256', cn: 'Revoked User', email: 'revoked@example.com', ext: EC_SIGNER_EXT },
  selfsigned: { kind: 'p256', cn: 'Self Signed', email: 'self@example.com', ext: EC_SIGNER_EXT, selfSigned: true },
  bob: { kind: 'rsa', cn: 'Bob Example', email: 'bob@example.com', ext: SIGNER_EXT },
  bobec: { kind: 'p256', cn: 'Bob EC', email: 'bobec@example.com', ext: 'keyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=emailProtection' },
} satisfies Record<string, UserSpec>;

export type UserName = keyof typeof USERS;

export interface TestIdentity {
  name: UserName;
  email: string;
  kind: KeyKind;
  /** PEM certificate and PEM (PKCS#8, unencrypted) private key. */
  cert: string;
  key: string;
  /** PKCS#12 with OpenSSL 3 defaults (PBES2/AES-256) and the legacy one (3DES, SHA-1 MAC) gpgsm 2.2 can import. */
  p12: string;
  p12Legacy: string;
  /** PEM file of the intermediates to ship with a signature (empty for the self-signed user). */
  chain: string;
}

export interface CaFiles {
  cert: string;
  key: string;
  /** CRL issued by this CA (the intermediate's lists the revoked user). */
  crl: string;
  /** SHA-1 fingerprint, colon separated, as gpgsm's trustlist.txt wants it. */
  sha1: string;
}

export interface TestPki {
  dir: string;
  root: CaFiles;
  inter: CaFiles;
  /** An unrelated root: pass it as the only trust anchor to get an untrusted chain. */
  otherRoot: { cert: string; key: string };
  users: Record<UserName, TestIdentity>;
  /** Scratch directory for messages; helpers write numbered files here. */
  work: string;
}

const LONG_START = '20240101000000Z';
const LONG_END = '20440101000000Z';

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function generateKey(kind: KeyKind, out: string): Promise<void> {
  const opts = kind === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
    : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${kind === 'p256' ? 'P-256' : 'P-384'}`];
  await execFileAsync('openssl', ['genpkey', ...opts, '-out', out]);
}

function caConfig(dir: string): string {
  return [
    '[ ca ]', 'default_ca = CA_default', '[ CA_default ]', `dir = ${dir}`, 'database = $dir/index.txt',
    'new_certs_dir = $dir/newcerts', 'serial = $dir/serial', 'crlnumber = $dir/crlnumber', 'default_md = sha256',
    'policy = policy_any', 'unique_subject = no', 'copy_extensions = none', 'default_crl_days = 3650',
    // Subject fields come out in this order.
    '[ policy_any ]', 'organizationName = optional', 'commonName = supplied', 'emailAddress = optional', '',
  ].join('\n');
}

function initCaDir(dir: string): string {
  mkdirSync(join(dir, 'newcerts'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  // Random starting serials keep certificates of two test runs from colliding in a reader's cache.
  writeFileSync(join(dir, 'serial'), `${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}01\n`);
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  const cnf = join(dir, 'ca.cnf');
  writeFileSync(cnf, caConfig(dir));
  return cnf;
}

interface IssueArgs {
  cnf: string; caCert?: string; caKey: string; key: string; subj: string; extfile: string; section: string;
  out: string; start?: string; end?: string; selfSign?: boolean;
}

function issue(a: IssueArgs): void {
  const csr = `${a.out}.csr`;
  openssl(['req', '-new', '-key', a.key, '-subj', a.subj, '-out', csr]);
  const signer = a.selfSign ? ['-selfsign'] : ['-cert', a.caCert ?? ''];
  openssl(['ca', '-batch', '-notext', '-config', a.cnf, ...signer, '-keyfile', a.caKey, '-in', csr,
    '-startdate', a.start ?? LONG_START, '-enddate', a.end ?? LONG_END, '-extfile', a.extfile, '-extensions', a.section,
    '-out', a.out]);
}

function sha1Of(cert: string): string {
  return openssl(['x509', '-in', cert, '-noout', '-fingerprint', '-sha1']).trim().split('=')[1];
}

function extensionsFile(dir: string): string {
  const skiAki = 'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always';
  const sections = [
    '[ v3_root ]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash',
    `[ v3_inter ]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n${skiAki}`,
    ...Object.entries(USERS).map(([name, u]) =>
      `[ user_${name} ]\nbasicConstraints=CA:FALSE\n${u.ext}\nsubjectAltName=email:${u.email}\n${'selfSigned' in u ? 'subjectKeyIdentifier=hash' : skiAki}`),
  ];
  const path = join(dir, 'extensions.cnf');
  writeFileSync(path, sections.join('\n\n') + '\n');
  return path;
}

async function exportP12(id: TestIdentity): Promise<void> {
  const common = ['pkcs12', '-export', '-inkey', id.key, '-in', id.cert, '-name', id.name, '-passout', `pass:${TEST_PASSPHRASE}`];
  const chain = readFileSync(id.chain, 'utf8').trim() ? ['-certfile', id.chain] : [];
  await execFileAsync('openssl', [...common, ...chain, '-out', id.p12]);
  await execFileAsync('openssl', [...common, ...chain, '-legacy', '-out', id.p12Legacy]);
}

/** Builds the whole PKI in `dir` (created if needed). Takes about a second: RSA keys are generated in parallel. */
export async function createTestPki(dir: string): Promise<TestPki> {
  mkdirSync(dir, { recursive: true });
  const names = Object.keys(USERS) as UserName[];
  await Promise.all([
    generateKey('rsa', join(dir, 'root.key')), generateKey('rsa', join(dir, 'inter.key')),
    generateKey('p256', join(dir, 'other-root.key')),
    ...names.map((n) => generateKey(USERS[n].kind, join(dir, `${n}.key`))),
  ]);
  const extfile = extensionsFile(dir);
  const rootCnf = initCaDir(join(dir, 'root-ca'));
  const interCnf = initCaDir(join(dir, 'inter-ca'));
  const root = { cert: join(dir, 'root.pem'), key: join(dir, 'root.key'), crl: join(dir, 'root.crl'), sha1: '' };
  const inter = { cert: join(dir, 'inter.pem'), key: join(dir, 'inter.key'), crl: join(dir, 'inter.crl'), sha1: '' };
  // The CAs start in 2015 so `--at` dates inside the expired user's 2020 validity still have a valid chain.
  issue({ cnf: rootCnf, caKey: root.key, key: root.key, subj: '/O=S-MIME Test/CN=Test Root CA', extfile, section: 'v3_root',
    out: root.cert, start: '20150101000000Z', end: '20450101000000Z', selfSign: true });
  issue({ cnf: rootCnf, caCert: root.cert, caKey: root.key, key: inter.key, subj: '/O=S-MIME Test/CN=Test Intermediate CA',
    extfile, section: 'v3_inter', out: inter.cert, start: '20150101000000Z', end: '20450101000000Z' });
  const otherRoot = { cert: join(dir, 'other-root.pem'), key: join(dir, 'other-root.key') };
  issue({ cnf: initCaDir(join(dir, 'other-ca')), caKey: otherRoot.key, key: otherRoot.key, subj: '/CN=Unrelated Root CA',
    extfile, section: 'v3_root', out: otherRoot.cert, selfSign: true });
  const users = {} as Record<UserName, TestIdentity>;
  const emptyChain = join(dir, 'empty-chain.pem');
  writeFileSync(emptyChain, '');
  for (const name of names) {
    const spec: UserSpec = USERS[name];
    const id: TestIdentity = { name, email: spec.email, kind: spec.kind, cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`),
      p12: join(dir, `${name}.p12`), p12Legacy: join(dir, `${name}-legacy.p12`), chain: spec.selfSigned ? emptyChain : inter.cert };
    const subj = `/CN=${spec.cn}/emailAddress=${spec.email}`;
    if (spec.selfSigned) {
      issue({ cnf: initCaDir(join(dir, `${name}-ca`)), caKey: id.key, key: id.key, subj, extfile, section: `user_${name}`, out: id.cert, selfSign: true });
    } else {
      issue({ cnf: interCnf, caCert: inter.cert, caKey: inter.key, key: id.key, subj, extfile, section: `user_${name}`,
        out: id.cert, start: spec.start, end: spec.end });
    }
    users[name] = id;
  }
  openssl(['ca', '-config', interCnf, '-cert', inter.cert, '-keyfile', inter.key, '-revoke', users.revoked.cert, '-crl_reason', 'keyCompromise']);
  openssl(['ca', '-gencrl', '-config', interCnf, '-cert', inter.cert, '-keyfile', inter.key, '-out', inter.crl]);
  openssl(['ca', '-gencrl', '-config', rootCnf, '-cert', root.cert, '-keyfile', root.key, '-out', root.crl]);
  root.sha1 = sha1Of(root.cert);
  inter.sha1 = sha1Of(inter.cert);
  await Promise.all(names.map((n) => exportP12(users[n])));
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  return { dir, root, inter, otherRoot, users, work };
}

let shared: Promise<TestPki> | undefined;
const cleanups: (() => void)[] = [];

/** Runs `fn` at process exit, before the shared PKI directory is removed (e.g. to stop a gpg-agent living in it). */
export function atPkiCleanup(fn: () => void): void {
  cleanups.push(fn);
}

/** How long a process waits for a PKI another process is still making (SMIME_TEST_PKI). */
const PREPARED_PKI_WAIT_MS = 120_000;

/** Where a PKI made by another process describes itself (written last, by rename). */
export const PREPARED_PKI_FILE = 'pki.json';

/**
 * The PKI in `dir` that another process makes (or made) with createTestPki and describes in PREPARED_PKI_FILE, e.g.
 * while VS Code starts for the integration tests; { error } there if it failed. Every process gets a work dir of
 * its own.
 */
async function preparedPki(dir: string): Promise<TestPki> {
  const end = Date.now() + PREPARED_PKI_WAIT_MS;
  for (;;) {
    try {
      const pki = JSON.parse(readFileSync(join(dir, PREPARED_PKI_FILE), 'utf8')) as TestPki | { error: string };
      if ('error' in pki) throw new Error(pki.error);
      return { ...pki, work: mkdtempSync(join(dir, 'work-')) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || Date.now() > end) throw new Error(`no prepared test PKI in ${dir}: ${(e as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One PKI per test process, in a temp dir removed when the process exits (or the prepared one SMIME_TEST_PKI names). */
export function sharedTestPki(): Promise<TestPki> {
  if (!shared && process.env.SMIME_TEST_PKI) shared = preparedPki(process.env.SMIME_TEST_PKI);
  if (!shared) {
    const dir = mkdtempSync(join(tmpdir(), 'smime-pki-'));
    process.once('exit', () => {
      for (const fn of cleanups.splice(0)) fn();
      rmSync(dir, { recursive: true, force: true });
    });
    shared = createTestPki(dir);
  }
  return shared;
}

let counter = 0;

/** Writes `data` to a fresh numbered file in the PKI's work dir and returns its path. */
export function workFile(pki: TestPki, name: string, data?: Buffer | string): string {
  counter += 1;
  const path = join(pki.work, `${String(counter).padStart(3, '0')}-${name}`);
  if (data !== undefined) writeFileSync(path, data);
  return path;
}
