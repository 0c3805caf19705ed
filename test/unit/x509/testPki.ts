/**
 * A throw-away PKI made with the openssl command line at test time: keys, CAs (`openssl ca`, which can set
 * arbitrary validity dates and keeps the index needed for revocation), certificates with chosen extensions,
 * CRLs and PKCS#12 files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Certificate } from '../../../src/core/x509/certificate';
import { parseCrl, type Crl } from '../../../src/core/x509/crl';
import { decodePemBlocks } from '../../../src/core/x509/pem';

export type KeyAlgorithm = 'rsa' | 'rsa1024' | 'ec' | 'ec384' | 'ed25519' | 'rsa-pss';

export interface Issued {
  name: string;
  certPath: string;
  keyPath: string;
  cert: Certificate;
}

export interface IssueOptions {
  subject?: string;
  alg?: KeyAlgorithm;
  /** Lines of an openssl extension section (without the [section] header). */
  ext?: string[];
  /** openssl ca dates, YYYYMMDDHHMMSSZ. */
  startDate?: string;
  endDate?: string;
  days?: number;
  md?: string;
  /** Extra `openssl ca` options, e.g. ['-sigopt', 'rsa_padding_mode:pss']. */
  caArgs?: string[];
}

const KEY_ARGS: Record<KeyAlgorithm, string[]> = {
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  ec: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  ec384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  ed25519: ['-algorithm', 'ED25519'],
  'rsa-pss': ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
};

export const CA_EXT = ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid:always'];
export const LEAF_EXT = [
  'basicConstraints = CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = emailProtection',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
];

export function openssl(args: string[], input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function hasOpenssl(): boolean {
  try {
    openssl(['version']);
    return true;
  } catch {
    return false;
  }
}

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'smime-pki-'));
  private count = 0;

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  key(name: string, alg: KeyAlgorithm = 'rsa'): string {
    const keyPath = this.path(`${name}.key`);
    openssl(['genpkey', ...KEY_ARGS[alg], '-out', keyPath]);
    return keyPath;
  }

  private caDir(issuer: string): string {
    return this.path(`${issuer}.ca`);
  }

  /** Sets up the `openssl ca` database of `issuer` (its cert and key must exist). */
  private ensureCaConfig(issuer: string): string {
    const dir = this.caDir(issuer);
    const config = join(dir, 'ca.cnf');
    mkdirSync(join(dir, 'new'), { recursive: true });
    try {
      readFileSync(config);
      return config;
    } catch {
      // first use
    }
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), `${(0x1000 + ++this.count * 16).toString(16)}\n`);
    writeFileSync(join(dir, 'crlnumber'), '01\n');
    writeFileSync(
      config,
      [
        '[ ca ]',
        'default_ca = CA_default',
        '[ CA_default ]',
        `dir = ${dir}`,
        'database = $dir/index.txt',
        'new_certs_dir = $dir/new',
        'serial = $dir/serial',
        'crlnumber = $dir/crlnumber',
        `certificate = ${this.path(`${issuer}.crt`)}`,
        `private_key = ${this.path(`${issuer}.key`)}`,
        'default_md = sha256',
        'policy = policy_any',
        'unique_subject = no',
        'email_in_dn = yes',
        'default_days = 365',
        'default_crl_days = 30',
        '[ policy_any ]',
        'commonName = optional',
        '',
      ].join('\n'),
    );
    return config;
  }

  private extFile(name: string, lines: string[]): string {
    const file = this.path(`${name}.ext.cnf`);
    writeFileSync(file, `[ ext ]\n${lines.join('\n')}\n`);
    return file;
  }

  private dateArgs(o: IssueOptions): string[] {
    const args: string[] = [];
    if (o.startDate) args.push('-startdate', o.startDate);
    if (o.endDate) args.push('-enddate', o.endDate);
    if (!o.endDate) args.push('-days', String(o.days ?? 365));
    return args;
  }

  private finish(name: string): Issued {
    const certPath = this.path(`${name}.crt`);
    return { name, certPath, keyPath: this.path(`${name}.key`), cert: new Certificate(decodePemBlocks(readFileSync(certPath))[0].der) };
  }

  /** A self-signed CA certificate. */
  root(name: string, o: IssueOptions = {}): Issued {
    const keyPath = this.key(name, o.alg ?? 'rsa');
    const csr = this.path(`${name}.csr`);
    openssl(['req', '-new', '-key', keyPath, '-subj', o.subject ?? `/CN=${name}`, '-out', csr]);
    // `-selfsign` signs with -keyfile; the config still needs a (not yet existing) certificate path.
    const config = this.ensureCaConfig(name);
    const md = o.alg === 'ed25519' ? [] : ['-md', o.md ?? 'sha256'];
    openssl(['ca', '-batch', '-selfsign', '-notext', '-preserveDN', '-config', config, '-keyfile', keyPath, '-in', csr, '-out', this.path(`${name}.crt`),
      ...md, '-extfile', this.extFile(name, o.ext ?? CA_EXT), '-extensions', 'ext', ...this.dateArgs(o), ...(o.caArgs ?? [])]);
    return this.finish(name);
  }

  /** A certificate for a new key, issued by `issuer`. */
  issue(name: string, issuer: Issued, o: IssueOptions = {}): Issued {
    const keyPath = this.key(name, o.alg ?? 'rsa');
    return this.issueForKey(name, keyPath, issuer, o);
  }

  /** A certificate for an existing key file (cross-certificates, re-issued CAs). */
  issueForKey(name: string, keyPath: string, issuer: Issued, o: IssueOptions = {}): Issued {
    const csr = this.path(`${name}.csr`);
    openssl(['req', '-new', '-key', keyPath, '-subj', o.subject ?? `/CN=${name}`, '-out', csr]);
    const config = this.ensureCaConfig(issuer.name);
    const md = issuer.cert.publicKeyAlgorithm === '1.3.101.112' ? [] : ['-md', o.md ?? 'sha256'];
    openssl(['ca', '-batch', '-notext', '-preserveDN', '-config', config, '-in', csr, '-out', this.path(`${name}.crt`), ...md,
      '-extfile', this.extFile(name, o.ext ?? LEAF_EXT), '-extensions', 'ext', ...this.dateArgs(o), ...(o.caArgs ?? [])]);
    if (keyPath !== this.path(`${name}.key`)) writeFileSync(this.path(`${name}.key`), readFileSync(keyPath));
    return this.finish(name);
  }

  revoke(issuer: Issued, cert: Issued, reason = 'keyCompromise'): void {
    openssl(['ca', '-batch', '-config', this.ensureCaConfig(issuer.name), '-revoke', cert.certPath, '-crl_reason', reason]);
  }

  /** A CRL from `issuer` over everything revoked so far; `hours` sets nextUpdate. */
  crl(issuer: Issued, hours = 24 * 30): { path: string; crl: Crl } {
    const path = this.path(`${issuer.name}.${++this.count}.crl.pem`);
    openssl(['ca', '-batch', '-gencrl', '-config', this.ensureCaConfig(issuer.name), '-crlhours', String(hours), '-out', path]);
    return { path, crl: parseCrl(decodePemBlocks(readFileSync(path))[0].der) };
  }
}

/** OpenSSL's verdict on a chain at a given time (the independent reference for validateChain). */
export function opensslVerify(
  pki: TestPki,
  leaf: Issued,
  anchors: Issued[],
  intermediates: Issued[],
  at: Date,
  crls: string[] = [],
  extra: string[] = [],
): { ok: boolean; output: string } {
  const bundle = (list: Issued[], name: string) => {
    const file = pki.path(name);
    writeFileSync(file, list.map((c) => c.cert.toPem()).join(''));
    return file;
  };
  const args = ['verify', '-CAfile', bundle(anchors, 'anchors.pem'), '-attime', String(Math.floor(at.getTime() / 1000))];
  if (intermediates.length) args.push('-untrusted', bundle(intermediates, 'untrusted.pem'));
  if (crls.length) {
    const crlFile = pki.path('crls.pem');
    writeFileSync(crlFile, crls.map((p) => readFileSync(p, 'latin1')).join(''));
    args.push('-CRLfile', crlFile, '-crl_check');
  }
  args.push(...extra, leaf.certPath);
  try {
    return { ok: true, output: openssl(args).toString() };
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    return { ok: false, output: `${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? ''}` };
  }
}
