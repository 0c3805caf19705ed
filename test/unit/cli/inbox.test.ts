/**
 * `smime inbox` and `smime compare` as a CI script runs them: the built CLI (dist/cli.js) in its own process. The
 * inbox prints one line per message with its verdict, stops cleanly on SIGTERM, and what it saved verifies with
 * `smime verify`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTransport } from 'nodemailer';
import { entity, toLf, wrapMessage } from '../../helpers/mime';
import { opensslSigned } from '../../helpers/openssl';
import { sharedTestPki, type TestPki } from '../../helpers/pki';

const cli = resolve('dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'smime-cli-inbox-'));
let pki: TestPki;
after(() => rmSync(dir, { recursive: true, force: true }));
before(async () => {
  pki = await sharedTestPki();
});

interface Running {
  child: ChildProcess;
  port: number;
  lines: string[];
  stderr: string[];
}

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startInbox(folder: string, extra: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<Running> {
  const child = spawn(process.execPath, [cli, 'inbox', folder, '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(child);
  const lines: string[] = [];
  const stderr: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  const port = await new Promise<number>((resolvePort, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr.push(chunk);
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(stderr.join(''));
      if (m) resolvePort(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`smime inbox exited (${code}): ${stderr.join('')}`)));
  });
  return { child, port, lines, stderr };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function send(port: number, raw: Buffer): Promise<unknown> {
  return createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({ envelope: { from: 'alice@example.com', to: ['bob@example.com'] }, raw });
}

const text = entity(['Content-Type: text/plain; charset=us-ascii'], 'Your order has shipped.\r\n');
const env = { from: 'Alice <alice@example.com>', to: 'bob@example.com' };

describe('smime inbox', () => {
  test('prints one line per message with its verdict, stops on SIGTERM with exit 0, and smime verify agrees', async () => {
    const folder = join(dir, 'mail');
    const inbox = await startInbox(folder, ['--ca', pki.root.cert]);
    await send(inbox.port, wrapMessage({ ...env, subject: 'Signed order' }, opensslSigned(pki, pki.users.alice, text)));
    await send(inbox.port, wrapMessage({ ...env, subject: 'Plain order' }, text));
    await waitFor(() => inbox.lines.length === 2, 'two lines');
    const rows = inbox.lines.map((l) => l.split('\t'));
    assert.deepEqual(rows.map((r) => [r[1], r[4]]), [['valid', 'Signed order'], ['unsigned', 'Plain order']]);
    assert.match(rows[0][0], /^\d{8}-\d{6}-\d{3}-Signed-order\.eml$/);
    assert.equal(rows[0][3], 'alice@example.com');
    const exit = new Promise<number | null>((r) => inbox.child.once('exit', r));
    inbox.child.kill('SIGTERM');
    assert.equal(await exit, 0);
    assert.match(inbox.stderr.join(''), /stopped after 2 message/);
    const files = readdirSync(folder).sort();
    assert.equal(files.length, 2);
    const signedFile = join(folder, rows[0][0]);
    const verify = spawnSync(process.execPath, [cli, 'verify', signedFile, '--ca', pki.root.cert], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });

  test('--json prints one JSON object per message; refusals go to stderr', async () => {
    const inbox = await startInbox(join(dir, 'json'), ['--json', '--max-bytes', '300']);
    await send(inbox.port, wrapMessage({ ...env, subject: 'Small' }, text));
    await assert.rejects(send(inbox.port, wrapMessage({ ...env, subject: 'Large' }, entity(['Content-Type: text/plain'], `${'x'.repeat(70)}\r\n`.repeat(5)))), /552/);
    await waitFor(() => inbox.lines.length === 1 && /refused/.test(inbox.stderr.join('')), 'a line and a refusal');
    const row = JSON.parse(inbox.lines[0]);
    assert.equal(row.verdict, 'unsigned');
    assert.equal(row.subject, 'Small');
    assert.match(inbox.stderr.join(''), /refused a message from alice@example\.com \(552\)/);
    const exit = new Promise<number | null>((r) => inbox.child.once('exit', r));
    inbox.child.kill('SIGINT');
    assert.equal(await exit, 0);
  });

  test('--auth-user with --password-env and --starttls: only an authenticated sender over TLS is accepted', async () => {
    const password = 'inbox-secret-7';
    const inbox = await startInbox(join(dir, 'secure'), ['--auth-user', 'relay', '--password-env', 'INBOX_PASS', '--starttls'], { ...process.env, INBOX_PASS: password });
    assert.match(inbox.stderr.join(''), /STARTTLS offered, AUTH required as relay/);
    assert.doesNotMatch(inbox.stderr.join(''), new RegExp(password));
    const message = wrapMessage({ ...env, subject: 'Authenticated' }, text);
    const envelope = { from: 'alice@example.com', to: ['bob@example.com'] };
    const over = (auth?: { user: string; pass: string }, requireTLS = true) =>
      createTransport({ host: '127.0.0.1', port: inbox.port, requireTLS, ignoreTLS: !requireTLS, tls: { rejectUnauthorized: false }, ...(auth ? { auth } : {}) }).sendMail({ envelope, raw: message });
    await assert.rejects(over(undefined), /530|Authentication|auth/i);
    await assert.rejects(over({ user: 'relay', pass: 'wrong' }), /535/);
    await assert.rejects(over({ user: 'relay', pass: password }, false), /538|TLS|secure|auth/i);
    const sent = (await over({ user: 'relay', pass: password })) as { response: string };
    assert.match(sent.response, /^250/);
    await waitFor(() => inbox.lines.length === 1, 'one line');
    assert.equal(inbox.lines[0].split('\t')[4], 'Authenticated');
    inbox.child.kill('SIGTERM');
  });

  test('the AUTH password is never taken from the command line, and TLS files go with --starttls', () => {
    const run = (args: string[], envVars: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [cli, 'inbox', join(dir, 'refused'), '--port', '0', ...args], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, ...envVars } });
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--auth-user', 'relay'], {}, /--auth-user needs --password-env/],
      [['--password-env', 'X'], { X: 'p' }, /--password-env needs --auth-user/],
      [['--auth-user', 'relay', '--password-env', 'UNSET_INBOX_PASS'], {}, /UNSET_INBOX_PASS is not set/],
      [['--tls-cert', 'c.pem'], {}, /--tls-cert and --tls-key go together/],
      [['--tls-cert', pki.root.cert, '--tls-key', pki.root.key], {}, /need --starttls/],
    ];
    for (const [args, envVars, message] of cases) {
      const r = run(args, envVars);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
    }
  });

  test('a port in use: exit 2 with the reason', async () => {
    const first = await startInbox(join(dir, 'first'));
    const second = spawnSync(process.execPath, [cli, 'inbox', join(dir, 'second'), '--port', String(first.port)], { encoding: 'utf8', timeout: 10_000 });
    first.child.kill('SIGTERM');
    assert.equal(second.status, 2);
    assert.match(second.stderr, /port \d+ is in use/);
  });

  test('a bad --port is a usage error (exit 2)', () => {
    const r = spawnSync(process.execPath, [cli, 'inbox', join(dir, 'x'), '--port', '99999'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--port must be an integer/);
  });
});

describe('smime compare', () => {
  test('exit 1 and the rewrite named when the relay broke the signature; exit 0 when it survives', () => {
    const sent = wrapMessage({ ...env, subject: 'Compare' }, opensslSigned(pki, pki.users.alice, text));
    const beforePath = join(dir, 'sent.eml');
    writeFileSync(beforePath, sent);
    const broken = join(dir, 'footer.eml');
    writeFileSync(broken, Buffer.from(sent.toString('latin1').replace('Your order has shipped.\r\n', 'Your order has shipped.\r\n-- \r\nSent via Relay\r\n'), 'latin1'));
    const r = spawnSync(process.execPath, [cli, 'compare', beforePath, broken], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /BREAKS {2}footer-added/);
    const lf = join(dir, 'lf.eml');
    writeFileSync(lf, toLf(sent));
    const ok = spawnSync(process.execPath, [cli, 'compare', beforePath, lf, '--json'], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).breaksSignature, false);
  });
});
