/**
 * `smime demo DIR`, run as a user would: every sample message gets the verdict its name promises from
 * `smime verify --json`, and OpenSSL (independently) accepts the certificates, signatures and encryption.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPkcs12 } from '../../../src/core/keys';
import { DEMO_MESSAGES } from '../../../src/core/pki/demoMessages';
import { DEMO_PASSPHRASE, DEMO_USERS } from '../../../src/core/pki/demoPki';
import { resolveCli, runCli, type CliRun } from '../../interop/cliRunner';
import { HAS_OPENSSL, openssl } from '../pki/pkiTestUtil';

let tmp = '';
let cli = '';
let dir = '';
let demoRun: CliRun;
let demoMs = 0;

function verify(file: string, extra: string[] = []): CliRun {
  return runCli(cli, ['verify', join(dir, 'messages', file), '--ca', join(dir, 'ca.pem'), ...extra, '--json'], { DEMO_PASS: DEMO_PASSPHRASE });
}

const withKey = (user: string) => ['--p12', join(dir, `${user}.p12`), '--passphrase-env', 'DEMO_PASS'];

describe('smime demo', () => {
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'smime-demo-test-'));
    cli = resolveCli(tmp);
    dir = join(tmp, 'demo');
    const started = performance.now();
    demoRun = runCli(cli, ['demo', dir]);
    demoMs = performance.now() - started;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('writes the PKI, keys (owner-only), recipients, settings, README and every sample message', (t) => {
    assert.equal(demoRun.exit, 0, demoRun.stderr);
    t.diagnostic(`smime demo took ${Math.round(demoMs)} ms (whole process)`);
    const expected = ['README.txt', 'ca.pem', '.vscode/settings.json', 'recipients/bob@example.com.pem', 'recipients/alice@example.com.pem'];
    for (const u of DEMO_USERS) expected.push(`${u.name}.pem`, `${u.name}.key.pem`, `${u.name}.p12`, `${u.name}.legacy.p12`);
    for (const m of DEMO_MESSAGES) expected.push(`messages/${m.file}`);
    for (const file of expected) assert.ok(statSync(join(dir, file)).size > 0, file);
    assert.equal(readdirSync(join(dir, 'messages')).length, DEMO_MESSAGES.length);
    for (const u of DEMO_USERS) {
      assert.equal(statSync(join(dir, `${u.name}.key.pem`)).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, `${u.name}.p12`)).mode & 0o777, 0o600);
    }
    const readme = readFileSync(join(dir, 'README.txt'), 'utf8');
    assert.match(readme, /FOR TESTING ONLY/);
    assert.match(readme, /passphrase for every \.p12 file: "demo"/);
    for (const m of DEMO_MESSAGES) assert.ok(readme.includes(m.file), m.file);
    const settings = JSON.parse(readFileSync(join(dir, '.vscode/settings.json'), 'utf8'));
    assert.equal(settings['smime.signing.p12'], '${workspaceFolder}/alice.p12');
    assert.equal(settings['smime.decrypt.p12'], '${workspaceFolder}/bob.p12');
    assert.deepEqual(settings['smime.trust.anchors'], ['${workspaceFolder}/ca.pem']);
    assert.equal(settings['smime.recipients.folder'], '${workspaceFolder}/recipients');
  });

  for (const spec of DEMO_MESSAGES) {
    test(`${spec.file}: ${spec.verdict}${spec.reasons.length ? ` + ${spec.reasons.join(', ')}` : ''}`, () => {
      const r = verify(spec.file, spec.decryptWith ? withKey(spec.decryptWith) : []);
      assert.ok(r.report, `no JSON report: ${r.stderr}${r.stdout}`);
      assert.equal(r.report.verdict, spec.verdict, JSON.stringify(r.report.reasons));
      for (const code of spec.reasons) assert.ok(r.report.reasons.includes(code), `${code} missing from ${r.report.reasons.join(', ')}`);
      assert.equal(r.exit, spec.verdict === 'valid' ? 0 : 1);
    });
  }

  test('--json names its schema, and the signer\'s certificate by the SHA-256 fingerprint OpenSSL prints', { skip: !HAS_OPENSSL && 'openssl not installed' }, () => {
    const report = verify('signed-detached.eml').report;
    assert.equal(report?.schema, 2);
    const fingerprint = (pem: string) => /Fingerprint=([0-9A-F:]+)/i.exec(openssl(['x509', '-in', join(dir, pem), '-noout', '-fingerprint', '-sha256']).stdout)?.[1].toUpperCase();
    const signer = report?.layers[0].signers?.[0];
    assert.equal(signer?.certificate, fingerprint('alice.pem'));
    assert.equal(signer?.chain?.at(-1), fingerprint('ca.pem'));
    for (const id of signer?.chain ?? []) assert.equal(report?.certificates?.[id]?.sha256Fingerprint, id);
  });

  test('GCM is not flagged as malleable, and the signed-encrypted message cannot be judged without a key', () => {
    assert.ok(!verify('encrypted-gcm.eml', withKey('bob')).report?.reasons.includes('not-integrity-protected'));
    assert.equal(verify('signed-encrypted.eml').report?.verdict, 'error');
  });

  test('OpenSSL chains the certificates: every mail signer but the expired and serverAuth-only ones', { skip: !HAS_OPENSSL && 'openssl not installed' }, () => {
    const check = (name: string) => {
      const r = openssl(['verify', '-CAfile', join(dir, 'ca.pem'), '-purpose', 'smimesign', join(dir, `${name}.pem`)]);
      return r.stdout + r.stderr;
    };
    for (const name of ['alice', 'carol-ec', 'dave-ed25519', 'bob', 'mismatch']) assert.match(check(name), /: OK/, name);
    assert.match(check('expired'), /certificate has expired/);
    assert.match(check('noeku'), /unsuitable certificate purpose/);
  });

  test('OpenSSL verifies the RSA and EC samples, rejects the tampered one and decrypts with bob\'s key', { skip: !HAS_OPENSSL && 'openssl not installed' }, () => {
    const cms = (file: string, args: string[]) => openssl(['cms', ...args, '-in', join(dir, 'messages', file)]);
    for (const file of ['signed-detached.eml', 'signed-opaque.eml', 'signed-ec.eml', 'sender-mismatch.eml']) {
      const r = cms(file, ['-verify', '-CAfile', join(dir, 'ca.pem'), '-out', join(tmp, 'out.txt')]);
      assert.ok(r.ok, `${file}: ${r.stderr}`);
      assert.match(readFileSync(join(tmp, 'out.txt'), 'latin1'), /Please transfer 100 EUR/);
    }
    const tampered = cms('tampered.eml', ['-verify', '-CAfile', join(dir, 'ca.pem'), '-out', join(tmp, 'out.txt')]);
    assert.equal(tampered.ok, false);
    // CMS_SignerInfo_verify_content is the messageDigest comparison (the signature itself is intact).
    assert.match(tampered.stderr, /CMS_SignerInfo_verify_content:verification failure/);
    for (const file of ['encrypted-cbc.eml', 'encrypted-gcm.eml']) {
      const r = cms(file, ['-decrypt', '-recip', join(dir, 'bob.pem'), '-inkey', join(dir, 'bob.key.pem')]);
      assert.ok(r.ok, `${file}: ${r.stderr}`);
      assert.match(r.stdout, /Please transfer 100 EUR/);
    }
  });

  test('every PKCS#12 file opens with the demo passphrase and holds the user\'s certificate and the root', () => {
    const root = readFileSync(join(dir, 'ca.pem'), 'latin1');
    for (const u of DEMO_USERS) {
      for (const file of [`${u.name}.p12`, `${u.name}.legacy.p12`]) {
        const p12 = loadPkcs12(readFileSync(join(dir, file)), DEMO_PASSPHRASE);
        assert.equal(p12.certificate?.toPem(), readFileSync(join(dir, `${u.name}.pem`), 'latin1'), file);
        assert.deepEqual(p12.chain.map((c) => c.toPem()), [root], file);
      }
    }
  });

  test('verify takes several files in one run: each gets the verdict it gets alone; exit 0, 1 or 2 for the worst', () => {
    const files = ['signed-detached.eml', 'signed-ec.eml', 'tampered.eml', 'plain.eml'].map((f) => join(dir, 'messages', f));
    const ca = ['--ca', join(dir, 'ca.pem')];
    const many = runCli(cli, ['verify', ...files, ...ca, '--json']);
    assert.equal(many.exit, 1, many.stderr);
    const outcomes = JSON.parse(many.stdout) as { file: string; report: { verdict: string; reasons: unknown[] } }[];
    assert.deepEqual(outcomes.map((o) => o.file), files);
    for (const o of outcomes) {
      const alone = runCli(cli, ['verify', o.file, ...ca, '--json']);
      assert.equal(o.report.verdict, alone.report?.verdict, o.file);
      assert.deepEqual(o.report.reasons, alone.report?.reasons, o.file);
    }
    assert.deepEqual(outcomes.map((o) => o.report.verdict), ['valid', 'valid', 'invalid', 'unsigned']);

    const allValid = runCli(cli, ['verify', files[0], files[1], ...ca]);
    assert.equal(allValid.exit, 0, allValid.stderr);
    assert.ok(allValid.stdout.startsWith(`${files[0]}\n`), 'each report is headed by its file');
    assert.match(allValid.stdout, /\n2 messages: 2 valid, 0 not valid, 0 unreadable\n$/);

    const missing = join(dir, 'messages', 'no-such.eml');
    const withMissing = runCli(cli, ['verify', files[0], missing, files[2], ...ca]);
    assert.equal(withMissing.exit, 2);
    assert.match(withMissing.stderr, /cannot read .*no-such\.eml: ENOENT/);
    assert.match(withMissing.stdout, /3 messages: 1 valid, 1 not valid, 1 unreadable\n$/);
  });

  test('the "Try:" hint is a command that runs from where the demo was written (no smime on the PATH needed)', () => {
    const hint = /^Try: (.*)$/m.exec(demoRun.stdout)?.[1];
    assert.ok(hint, demoRun.stdout);
    assert.match(hint, /^node \S*cli\.js verify /);
    const [command, ...args] = hint.split(' ');
    const run = spawnSync(command === 'node' ? process.execPath : command, args, { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /valid/i);
  });

  test('refuses a non-empty folder without --force, overwrites with it, and refuses a file', () => {
    const before = readFileSync(join(dir, 'ca.pem'), 'latin1');
    const refused = runCli(cli, ['demo', dir]);
    assert.equal(refused.exit, 2);
    assert.match(refused.stderr, /not empty; use --force/);
    assert.equal(readFileSync(join(dir, 'ca.pem'), 'latin1'), before);
    const forced = runCli(cli, ['demo', dir, '--force', '--json']);
    assert.equal(forced.exit, 0, forced.stderr);
    assert.ok(JSON.parse(forced.stdout).files.includes('messages/plain.eml'));
    assert.notEqual(readFileSync(join(dir, 'ca.pem'), 'latin1'), before);
    assert.equal(verify('signed-detached.eml').report?.verdict, 'valid');
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const notFolder = runCli(cli, ['demo', file]);
    assert.equal(notFolder.exit, 2);
    assert.match(notFolder.stderr, /not a folder/);
  });
});
