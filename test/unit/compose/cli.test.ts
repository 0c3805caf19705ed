/**
 * `smime sign`, `encrypt`, `sign-encrypt` and `cert --save-recipient` run as a separate process, the way a
 * user or CI runs them: round trips over random messages (read back by `smime verify` / `smime decrypt`),
 * refusals and their exit codes, atomic output, the --json shape, and that no secret or plaintext is printed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { prepareMessage } from '../../../src/core/smime/compose';
import { sharedTestPki, TEST_PASSPHRASE, type TestIdentity, type TestPki } from '../../helpers/pki';
import { resolveCli, runCli, type CliRun } from '../../interop/cliRunner';
import { expectedSignedVerdict, Rand, randomMessage } from './randomMessages';

const RUNS = Number(process.env.COMPOSE_CLI_RUNS ?? 8);
const SECRET_MARKER = 'Sesame-7f3a';

let pki: TestPki;
let dir: string;
let cli: string;
let counter = 0;

before(async () => {
  pki = await sharedTestPki();
  dir = mkdtempSync(join(tmpdir(), 'smime-compose-cli-'));
  cli = resolveCli(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data?: Buffer | string): string {
  counter += 1;
  const path = join(dir, `${counter}-${name}`);
  if (data !== undefined) writeFileSync(path, data);
  return path;
}

function smime(args: string[], env: Record<string, string> = {}): CliRun {
  return runCli(cli, args, env);
}

function signerArgs(u: TestIdentity): string[] {
  return ['--cert', u.cert, '--key', u.key, '--certfile', u.chain];
}

function plainMessage(from: TestIdentity, to: string, extra = ''): Buffer {
  return Buffer.from(`From: ${from.email}\nTo: ${to}\n${extra}Subject: t\nDate: ${new Date().toUTCString()}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${SECRET_MARKER} Grüße\n`);
}

describe(`CLI round trips over ${RUNS} random messages`, () => {
  test('sign (detached/opaque, RSA/PSS/ECDSA) -> smime verify valid', () => {
    const r = new Rand(11);
    for (let seed = 1; seed <= RUNS; seed++) {
      const user = pki.users[r.pick(['alice', 'pssuser', 'ecuser'] as const)];
      const bytes = randomMessage(seed, { from: user.email, to: 'bob@example.com' }).bytes;
      const input = file('in.eml', bytes);
      const out = file('signed.eml');
      const extra = [...(r.bool() ? ['--opaque'] : []), ...(user.name === 'pssuser' ? ['--pss'] : []), ...(user.kind === 'rsa' ? ['--digest', r.pick(['sha256', 'sha512'])] : [])];
      const signed = smime(['sign', input, ...signerArgs(user), ...extra, '-o', out]);
      assert.equal(signed.exit, 0, `seed ${seed}: ${signed.stderr}`);
      const verified = smime(['verify', out, '--ca', pki.root.cert, '--json']);
      const expected = expectedSignedVerdict(bytes);
      assert.equal(verified.report?.verdict, expected, `seed ${seed} ${extra.join(' ')}: ${verified.stdout.slice(0, 400)}`);
      if (expected === 'valid') assert.equal(verified.exit, 0);
    }
  });

  test('encrypt -> smime decrypt gives the prepared entity; sign-encrypt -> verify with the key is valid', () => {
    const r = new Rand(22);
    const alice = pki.users.alice;
    for (let seed = 1; seed <= RUNS; seed++) {
      const to = pki.users[r.pick(['bob', 'bobec'] as const)];
      const bytes = randomMessage(seed, { from: alice.email, to: to.email }).bytes;
      const input = file('in.eml', bytes);
      const enc = file('enc.eml');
      const cipher = to.kind === 'rsa' ? r.pick(['aes-256-cbc', 'aes-128-cbc']) : r.pick(['aes-128-cbc', 'aes-256-gcm']);
      assert.equal(smime(['encrypt', input, '--to', to.cert, '--cert', alice.cert, '--cipher', cipher, '-o', enc]).exit, 0);
      for (const reader of [to, alice]) {
        const plain = file('plain.eml');
        const dec = smime(['decrypt', enc, '--key', reader.key, '--cert', reader.cert, '-o', plain]);
        assert.equal(dec.exit, 0, `seed ${seed}, ${reader.name}: ${dec.stderr}`);
        assert.ok(readFileSync(plain).equals(prepareMessage(bytes).entity), `seed ${seed}, ${reader.name}`);
      }
      const both = file('both.eml');
      const order = r.pick(['sign-encrypt', 'triple']);
      assert.equal(smime(['sign-encrypt', input, ...signerArgs(alice), '--to', to.cert, '--order', order, '-o', both]).exit, 0);
      const verified = smime(['verify', both, '--ca', pki.root.cert, '--key', to.key, '--cert', to.cert, '--json']);
      assert.equal(verified.report?.verdict, expectedSignedVerdict(bytes), `seed ${seed} ${order}: ${verified.stdout.slice(0, 300)}`);
    }
  });
});

describe('CLI contract', () => {
  test('--p12 with --passphrase-env signs; neither passphrase nor plaintext is printed; --json has output, preflight, warnings', () => {
    const input = file('in.eml', plainMessage(pki.users.alice, 'bob@example.com'));
    const out = file('p12.eml');
    const run = smime(['sign', input, '--p12', pki.users.alice.p12, '--passphrase-env', 'SMIME_TEST_PASS', '-o', out, '--json'], { SMIME_TEST_PASS: TEST_PASSPHRASE });
    assert.equal(run.exit, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { output: string; preflight: { path: string; change: string; reason: string }[]; warnings: unknown[] };
    assert.equal(json.output, out);
    assert.ok(json.preflight.some((c) => c.change === 'Content-Transfer-Encoding 8bit -> quoted-printable'));
    assert.ok(Array.isArray(json.warnings));
    assert.ok(/preflight: \d+ change/.test(run.stderr));
    for (const text of [run.stdout, run.stderr]) {
      assert.ok(!text.includes(TEST_PASSPHRASE) && !text.includes(SECRET_MARKER) && !text.includes('PRIVATE KEY'));
    }
  });

  test('refusals exit 1 and write nothing; --force writes with a warning', () => {
    const input = file('in.eml', plainMessage(pki.users.expired, 'bob@example.com'));
    const out = file('expired.eml');
    const refused = smime(['sign', input, '--cert', pki.users.expired.cert, '--key', pki.users.expired.key, '-o', out]);
    assert.equal(refused.exit, 1);
    assert.match(refused.stderr, /expired/);
    assert.ok(!existsSync(out));
    const forced = smime(['sign', input, '--cert', pki.users.expired.cert, '--key', pki.users.expired.key, '--force', '-o', out]);
    assert.equal(forced.exit, 0);
    assert.match(forced.stderr, /forced despite/);
    assert.ok(existsSync(out));
  });

  test('usage errors exit 2: -o naming the input, no -o, unknown digest, no identity, no self certificate', () => {
    const input = file('in.eml', plainMessage(pki.users.alice, 'bob@example.com'));
    const cases = [
      ['sign', input, ...signerArgs(pki.users.alice), '-o', input],
      ['sign', input, ...signerArgs(pki.users.alice)],
      ['sign', input, ...signerArgs(pki.users.alice), '--digest', 'md5', '-o', file('x.eml')],
      ['sign', input, '-o', file('x.eml')],
      ['encrypt', input, '--to', pki.users.bob.cert, '-o', file('x.eml')],
    ];
    for (const args of cases) assert.equal(smime(args).exit, 2, args.join(' '));
  });

  test('a recipient missing from --recipients-dir is named, exit 1, nothing written; leftover temp files none', () => {
    const store = mkdtempSync(join(dir, 'store-'));
    writeFileSync(join(store, 'bob@example.com.pem'), readFileSync(pki.users.bob.cert));
    const input = file('in.eml', plainMessage(pki.users.alice, 'bob@example.com', 'Cc: carol@example.com\n'));
    const out = join(store, 'out.eml');
    const run = smime(['encrypt', input, '--recipients-dir', store, '--cert', pki.users.alice.cert, '-o', out]);
    assert.equal(run.exit, 1);
    assert.match(run.stderr, /carol@example\.com/);
    assert.deepEqual(readdirSync(store), ['bob@example.com.pem']);
  });

  test('GCM says who cannot read it on stderr', () => {
    const input = file('in.eml', plainMessage(pki.users.alice, 'bob@example.com'));
    const run = smime(['encrypt', input, '--to', pki.users.bob.cert, '--no-self', '--cipher', 'aes-128-gcm', '-o', file('gcm.eml')]);
    assert.equal(run.exit, 0);
    assert.match(run.stderr, /Thunderbird\/NSS 3\.87, gpgsm and Outlook cannot read it/);
  });

  test('cert --save-recipient harvests the signer, and encrypt --recipients-dir then finds it', () => {
    const store = mkdtempSync(join(dir, 'harvest-'));
    const signed = file('signed.eml');
    assert.equal(smime(['sign', file('in.eml', plainMessage(pki.users.bob, 'alice@example.com')), ...signerArgs(pki.users.bob), '-o', signed]).exit, 0);
    const saved = smime(['cert', signed, '--save-recipient', store]);
    assert.equal(saved.exit, 0, saved.stderr);
    assert.ok(existsSync(join(store, 'bob@example.com.pem')));
    assert.equal(smime(['cert', signed, '--save-recipient', store]).exit, 0);
    const enc = file('enc.eml');
    const run = smime(['encrypt', file('in.eml', plainMessage(pki.users.alice, 'Bob <bob@example.com>')), '--recipients-dir', store, '--cert', pki.users.alice.cert, '-o', enc]);
    assert.equal(run.exit, 0, run.stderr);
    assert.equal(smime(['decrypt', enc, '--key', pki.users.bob.key, '--cert', pki.users.bob.cert, '-o', file('p.eml')]).exit, 0);
  });
});

describe('several inputs in one run (--out-dir)', () => {
  test('sign writes each readable input under its own name, reports the unreadable one, exits 2; all verify', () => {
    const out = mkdtempSync(join(dir, 'signed-'));
    const inputs = [file('a.eml', plainMessage(pki.users.alice, 'bob@example.com')), join(dir, 'missing.eml'), file('b.eml', plainMessage(pki.users.alice, 'carol@example.com'))];
    const run = smime(['sign', ...inputs, ...signerArgs(pki.users.alice), '--out-dir', out, '--json']);
    assert.equal(run.exit, 2, run.stderr);
    assert.match(run.stderr, /cannot read .*missing\.eml/);
    assert.match(run.stderr, /3 messages: 2 written, 0 refused, 1 unreadable/);
    const outcomes = JSON.parse(run.stdout) as { input: string; output: string | null; error?: string }[];
    assert.deepEqual(outcomes.map((o) => o.output), [join(out, basename(inputs[0])), null, join(out, basename(inputs[2]))]);
    assert.deepEqual(readdirSync(out).sort(), [basename(inputs[0]), basename(inputs[2])].sort());
    const verified = smime(['verify', ...readdirSync(out).map((f) => join(out, f)), '--ca', pki.root.cert]);
    assert.equal(verified.exit, 0, verified.stdout);
    assert.ok(!run.stdout.includes(SECRET_MARKER) && !run.stderr.includes(SECRET_MARKER), 'no plaintext printed');
  });

  test('encrypt looks up each message\'s own recipients: one is written, one is refused (exit 1)', () => {
    const store = mkdtempSync(join(dir, 'store-many-'));
    writeFileSync(join(store, 'bob@example.com.pem'), readFileSync(pki.users.bob.cert));
    const out = mkdtempSync(join(dir, 'encrypted-'));
    const toBob = file('to-bob.eml', plainMessage(pki.users.alice, 'bob@example.com'));
    const toCarol = file('to-carol.eml', plainMessage(pki.users.alice, 'carol@example.com'));
    const run = smime(['encrypt', toBob, toCarol, '--recipients-dir', store, '--cert', pki.users.alice.cert, '--out-dir', out]);
    assert.equal(run.exit, 1, run.stderr);
    assert.match(run.stderr, /to-carol\.eml: refused: .*carol@example\.com/);
    assert.deepEqual(readdirSync(out), [basename(toBob)]);
    const plain = file('bob-plain.eml');
    assert.equal(smime(['decrypt', join(out, basename(toBob)), '--key', pki.users.bob.key, '--cert', pki.users.bob.cert, '-o', plain]).exit, 0);
    assert.ok(readFileSync(plain).equals(prepareMessage(readFileSync(toBob)).entity));
  });

  test('usage errors exit 2 and write nothing: -o with several inputs, -o with --out-dir, two inputs of one name, the input\'s own folder', () => {
    const out = mkdtempSync(join(dir, 'usage-'));
    const a = file('same.eml', plainMessage(pki.users.alice, 'bob@example.com'));
    const other = mkdtempSync(join(dir, 'other-'));
    const b = join(other, basename(a));
    writeFileSync(b, readFileSync(a));
    const signer = signerArgs(pki.users.alice);
    const cases: [string[], RegExp][] = [
      [['sign', a, b, ...signer, '-o', file('x.eml')], /use --out-dir DIR for several inputs/],
      [['sign', a, ...signer, '-o', file('x.eml'), '--out-dir', out], /not both/],
      [['sign', a, b, ...signer, '--out-dir', out], /two inputs would both be written/],
      [['sign', a, ...signer, '--out-dir', dir], /must not name the input/],
      [['sign', a, ...signer, '--out-dir', a], /is not a folder/],
    ];
    for (const [args, message] of cases) {
      const run = smime(args);
      assert.equal(run.exit, 2, args.join(' '));
      assert.match(run.stderr, message, args.join(' '));
    }
    assert.deepEqual(readdirSync(out), []);
  });
});
