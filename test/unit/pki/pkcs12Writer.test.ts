/**
 * PKCS#12 files from writePkcs12, read back by three independent readers: `openssl pkcs12`, NSS `pk12util` (the
 * importer of Thunderbird's crypto library) and gpgsm 2.2 (legacy RSA only: it cannot read PBES2 and crashes on
 * EC keys), and by our own loadPkcs12.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { KeyError, loadPkcs12, publicKeysMatch } from '../../../src/core/keys';
import { issueCertificate, type CertificateIssuer } from '../../../src/core/pki/certificateBuilder';
import { certificatesToPem } from '../../../src/core/pki/pemWriter';
import { writePkcs12, type Pkcs12Input } from '../../../src/core/pki/pkcs12Writer';
import type { Certificate } from '../../../src/core/x509/certificate';
import { DAY, HAS_OPENSSL, HOUR, TempDir, generateKey, hasTool, makeCa, openssl, run, type KeyKind } from './pkiTestUtil';

const PASS = 'demo';
let tmp: TempDir;
let ca: CertificateIssuer;
const identities: Partial<Record<KeyKind, { privateKey: KeyObject; certificate: Certificate }>> = {};

function identity(kind: KeyKind) {
  return identities[kind]!;
}

function p12(kind: KeyKind, extra: Partial<Pkcs12Input> = {}): Buffer {
  return writePkcs12({ ...identity(kind), chain: [ca.certificate], passphrase: PASS, friendlyName: `${kind} user`, ...extra });
}

let count = 0;
function save(data: Buffer): string {
  return tmp.write(`file${++count}.p12`, data);
}

function opensslInfo(file: string, passphrase = PASS, extra: string[] = []) {
  return openssl(['pkcs12', '-info', '-nokeys', '-in', file, '-passin', `pass:${passphrase}`, ...extra]);
}

describe('writePkcs12', { skip: !HAS_OPENSSL && 'openssl not installed' }, () => {
  before(() => {
    tmp = new TempDir();
    ca = makeCa('rsa');
    const now = Date.now();
    for (const kind of ['rsa', 'ec', 'ed25519'] as const) {
      const key = generateKey(kind);
      const certificate = issueCertificate({
        subject: { CN: `${kind} user` },
        emails: [`${kind}@example.com`],
        publicKey: key.publicKey,
        issuer: ca,
        notBefore: new Date(now - HOUR),
        notAfter: new Date(now + DAY),
      });
      identities[kind] = { privateKey: key.privateKey, certificate };
    }
  });
  after(() => tmp.cleanup());

  test('default profile: OpenSSL 3 reads PBES2/PBKDF2-SHA256/AES-256-CBC bags and a SHA-256 MAC, certificate and chain', () => {
    const r = opensslInfo(save(p12('rsa')));
    assert.ok(r.ok, r.stderr);
    const info = r.stdout + r.stderr;
    assert.match(info, /MAC: sha256, Iteration 2048/);
    assert.match(info, /PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/);
    assert.match(info, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/);
    assert.match(info, /subject=CN = rsa user/);
    assert.match(info, /subject=O = smime tests, CN = Writer Test Root CA/);
  });

  test('legacy profile: pbeWithSHA1And3-KeyTripleDES-CBC for both and a SHA-1 MAC', () => {
    const r = opensslInfo(save(p12('rsa', { legacy: true })), PASS, ['-legacy']);
    assert.ok(r.ok, r.stderr);
    const info = r.stdout + r.stderr;
    assert.match(info, /MAC: sha1, Iteration 2048/);
    assert.match(info, /PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
    assert.match(info, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048/);
  });

  test('the key and its certificate share a localKeyID and a friendlyName; the chain certificate has neither', () => {
    const r = openssl(['pkcs12', '-info', '-nodes', '-in', save(p12('ec')), '-passin', `pass:${PASS}`]);
    const info = r.stdout;
    const ids = [...info.matchAll(/localKeyID: ([0-9A-F ]+)/g)].map((m) => m[1].trim());
    assert.equal(ids.length, 2, info);
    assert.equal(ids[0], ids[1]);
    assert.equal([...info.matchAll(/friendlyName: ec user/g)].length, 2);
    assert.match(info, /Bag Attributes: <No Attributes>\nsubject=O = smime tests/);
  });

  test('the key OpenSSL extracts is the certificate\'s key, for RSA, EC and Ed25519, in both profiles', () => {
    for (const kind of ['rsa', 'ec', 'ed25519'] as const) {
      for (const legacy of [false, true]) {
        const file = save(p12(kind, { legacy }));
        const r = openssl(['pkcs12', '-in', file, '-nocerts', '-nodes', '-passin', `pass:${PASS}`, ...(legacy ? ['-legacy'] : [])]);
        assert.ok(r.ok, `${kind} legacy=${legacy}: ${r.stderr}`);
        const theirs = createPublicKey(r.stdout.slice(r.stdout.indexOf('-----BEGIN')));
        assert.ok(theirs.equals(createPublicKey(identity(kind).privateKey)), `${kind} legacy=${legacy}`);
      }
    }
  });

  test('a wrong passphrase fails OpenSSL\'s MAC check', () => {
    const r = opensslInfo(save(p12('rsa')), 'wrong');
    assert.equal(r.ok, false);
    assert.match(r.stderr, /Mac verify error|invalid password/i);
  });

  test('empty and non-ASCII passphrases are encoded as OpenSSL expects (BMPString for the MAC, UTF-8 for PBES2)', () => {
    for (const passphrase of ['', 'pässwörd €']) {
      for (const legacy of [false, true]) {
        const r = opensslInfo(save(p12('rsa', { passphrase, legacy })), passphrase, legacy ? ['-legacy'] : []);
        assert.ok(r.ok, `"${passphrase}" legacy=${legacy}: ${r.stderr}`);
        assert.match(r.stdout, /subject=CN = rsa user/);
      }
    }
  });

  test('our own loadPkcs12 reads every kind and profile back: key, certificate, chain and friendly name', () => {
    for (const kind of ['rsa', 'ec', 'ed25519'] as const) {
      for (const legacy of [false, true]) {
        const contents = loadPkcs12(p12(kind, { legacy }), PASS);
        assert.ok(contents.privateKey && contents.certificate, `${kind} legacy=${legacy}`);
        assert.ok(contents.certificate.der.equals(identity(kind).certificate.der));
        assert.ok(publicKeysMatch(contents.privateKey, contents.certificate));
        assert.deepEqual(contents.chain.map((c) => c.subject.text), [ca.certificate.subject.text]);
        assert.equal(contents.friendlyName, `${kind} user`);
        assert.deepEqual(contents.warnings, []);
      }
    }
    assert.throws(() => loadPkcs12(p12('rsa'), 'wrong'), (e) => e instanceof KeyError && e.code === 'bad-passphrase');
  });

  // NSS 3.87's softoken has no Ed25519 (pk12util: SEC_ERROR_PKCS12_UNABLE_TO_IMPORT_KEY), so RSA and EC only.
  test('NSS pk12util imports RSA and EC keys from both profiles, and refuses a wrong passphrase', { skip: !hasTool('/usr/bin/pk12util') && 'NSS tools not installed' }, () => {
    for (const kind of ['rsa', 'ec'] as const) {
      for (const legacy of [false, true]) {
        // One database per file: NSS keeps one entry per key, so a second import of the same key adds nothing to list.
        const dir = tmp.path(`nssdb-${kind}-${legacy}`);
        mkdirSync(dir);
        const db = `sql:${dir}`;
        assert.ok(run('certutil', ['-N', '-d', db, '--empty-password']).ok);
        const r = run('pk12util', ['-i', save(p12(kind, { legacy })), '-d', db, '-W', PASS]);
        assert.ok(r.ok, `${kind} legacy=${legacy}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, /PKCS12 IMPORT SUCCESSFUL/);
        assert.match(run('certutil', ['-K', '-d', db]).stdout, new RegExp(`${kind}\\s+[0-9a-f]+\\s+${kind} user`));
        assert.match(run('certutil', ['-L', '-d', db]).stdout, new RegExp(`${kind} user\\s+u,u,u`));
        if (kind === 'rsa' && !legacy) assert.equal(run('pk12util', ['-i', save(p12('rsa')), '-d', db, '-W', 'wrong']).ok, false);
      }
    }
  });

  test('gpgsm 2.2 imports the legacy RSA file with its secret key', { skip: !hasTool('/usr/bin/gpgsm') && 'gpgsm not installed' }, () => {
    const home = tmp.path('gnupg');
    mkdirSync(home, { mode: 0o700 });
    tmp.write('gnupg/gpgsm.conf', 'disable-crl-checks\ndisable-dirmngr\n');
    tmp.write('gnupg/gpg-agent.conf', 'allow-loopback-pinentry\n');
    const env = { ...process.env, GNUPGHOME: home };
    try {
      const r = run('gpgsm', ['--batch', '--pinentry-mode', 'loopback', '--passphrase-fd', '0', '--import', save(p12('rsa', { legacy: true }))], { input: PASS, env });
      assert.ok(r.ok, r.stderr);
      assert.match(r.stderr, /secret keys imported: 1/);
      // "crs" = an X.509 certificate whose private key is available (gpgsm --with-colons).
      const listed = run('gpgsm', ['--batch', '--list-secret-keys', '--with-colons'], { env });
      assert.match(listed.stdout, /^crs:[\s\S]*uid:::::::::<rsa@example.com>/m);
    } finally {
      run('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
    }
  });

  test('the chain PEM and the p12 certificate are the same bytes', () => {
    const pem = certificatesToPem([identity('rsa').certificate, ca.certificate]);
    const r = opensslInfo(save(p12('rsa')));
    const blocks = r.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
    assert.equal(blocks.join(''), pem);
  });
});
