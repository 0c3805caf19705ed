/**
 * `smime verify` over whole archives, as a CI job would run it: folders, Maildir, mbox archives written by
 * Python's mailbox module (an independent writer), --files-from, --jsonl and --jobs. Every message must get the
 * verdict it gets when verified alone from its own file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCli, runCli } from '../../interop/cliRunner';

/** A fixed validation time (the demo certificates start now): reports of a message are then identical. */
const AT = ['--at', new Date(Date.now() + 60_000).toISOString()];
const HAS_PYTHON = spawnSync('python3', ['-c', 'import mailbox'], { encoding: 'utf8' }).status === 0;

let tmp = '';
let cli = '';
let demo = '';
let messages: string[] = [];
let alone = new Map<string, string>();

type Outcome = { file: string; index?: number; report?: { verdict: string; reasons: string[] }; error?: string };

function verify(args: string[], input?: string): { exit: number | null; stdout: string; stderr: string } {
  if (input === undefined) return runCli(cli, ['verify', ...args, '--ca', join(demo, 'ca.pem'), ...AT]);
  const r = spawnSync(process.execPath, [cli, 'verify', ...args, '--ca', join(demo, 'ca.pem'), ...AT], { input, encoding: 'utf8' });
  return { exit: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(stdout: string): Outcome[] {
  return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Outcome);
}

/** Python's mailbox module writes the archive (mboxo quoting, its own separator lines). */
function pythonMbox(path: string, files: string[]): void {
  const script = 'import mailbox,sys\nmb=mailbox.mbox(sys.argv[1],create=True)\nfor f in sys.argv[2:]:\n  mb.add(open(f,"rb").read())\nmb.flush()\nmb.close()\n';
  const r = spawnSync('python3', ['-c', script, path, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

describe('smime verify over folders, Maildir, mbox and lists', () => {
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'smime-batch-test-'));
    cli = resolveCli(tmp);
    demo = join(tmp, 'demo');
    assert.equal(runCli(cli, ['demo', demo]).exit, 0);
    messages = readdirSync(join(demo, 'messages')).sort().map((f) => join(demo, 'messages', f));
    alone = new Map(messages.map((f) => [f, JSON.parse(verify([f, '--json']).stdout).verdict as string]));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('a folder: every .eml below it (sorted, subfolders too), other files ignored; verdicts as alone', () => {
    const dir = join(tmp, 'tree');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    copyFileSync(messages[0], join(dir, 'sub', 'z.eml'));
    copyFileSync(messages[1], join(dir, 'a.eml'));
    writeFileSync(join(dir, 'notes.txt'), 'not a message');
    const r = verify([dir, '--jsonl']);
    const out = lines(r.stdout);
    assert.deepEqual(out.map((o) => o.file), [join(dir, 'a.eml'), join(dir, 'sub', 'z.eml')]);
    assert.deepEqual(out.map((o) => o.report?.verdict), [alone.get(messages[1]), alone.get(messages[0])]);
  });

  test('a Maildir: the messages of cur/ and new/, not tmp/', () => {
    const dir = join(tmp, 'Maildir');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
    messages.slice(0, 3).forEach((f, i) => copyFileSync(f, join(dir, i < 2 ? 'cur' : 'new', `17330000${i}.M1P1.host:2,S`)));
    copyFileSync(messages[4], join(dir, 'tmp', 'partial'));
    const out = lines(verify([dir, '--jsonl']).stdout);
    assert.deepEqual(out.map((o) => o.report?.verdict), messages.slice(0, 3).map((f) => alone.get(f)));
  });

  test('an mbox written by Python: each message reported with its index, verdicts as alone', { skip: !HAS_PYTHON && 'python3 not found' }, () => {
    const archive = join(tmp, 'all.mbox');
    pythonMbox(archive, messages);
    const r = verify([archive, '--jsonl']);
    const out = lines(r.stdout);
    assert.deepEqual(out.map((o) => o.index), messages.map((_, i) => i + 1));
    assert.deepEqual(out.map((o) => o.report?.verdict), messages.map((f) => alone.get(f)));
    assert.ok(out.some((o) => o.report?.verdict === 'valid'), 'signatures survive the archive');
    assert.equal(r.exit, out.every((o) => o.report?.verdict === 'valid') ? 0 : 1);
    const text = verify([archive]);
    assert.ok(text.stdout.startsWith(`${archive}#1\n`), 'text reports are headed by file#index');
    assert.match(text.stdout, new RegExp(`\\n${messages.length} messages: \\d+ valid`));
  });

  test('--jobs 3 gives the same reports, in the same order, as one thread', { skip: !HAS_PYTHON && 'python3 not found' }, () => {
    const archive = join(tmp, 'jobs.mbox');
    pythonMbox(archive, [...messages, ...messages, ...messages]);
    const one = verify([archive, '--json']);
    const three = verify([archive, '--json', '--jobs', '3']);
    assert.equal(three.exit, one.exit);
    const a = JSON.parse(one.stdout) as Outcome[];
    assert.equal(a.length, messages.length * 3);
    assert.deepEqual(JSON.parse(three.stdout), a);
  });

  test('--files-from FILE and - (standard input), mixed with arguments', () => {
    const list = join(tmp, 'list.txt');
    writeFileSync(list, `${messages[2]}\n\n${messages[3]}\r\n`);
    const fromFile = lines(verify([messages[0], '--files-from', list, '--jsonl']).stdout);
    assert.deepEqual(fromFile.map((o) => o.file), [messages[0], messages[2], messages[3]]);
    const fromStdin = lines(verify(['--files-from', '-', '--jsonl'], `${messages[5]}\n${messages[6]}\n`).stdout);
    assert.deepEqual(fromStdin.map((o) => [o.file, o.report?.verdict]), [messages[5], messages[6]].map((f) => [f, alone.get(f)]));
  });

  test('unreadable inputs are reported in place; exit 2; empty archives and folders are errors, not success', () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const r = verify([messages[0], join(tmp, 'missing.eml'), empty, '--jsonl']);
    assert.equal(r.exit, 2);
    const out = lines(r.stdout);
    assert.equal(out.length, 3);
    assert.match(out[1].error ?? '', /ENOENT/);
    assert.match(out[2].error ?? '', /no \.eml or \.mbox file/);
    const emptyMbox = join(tmp, 'empty.mbox');
    writeFileSync(emptyMbox, 'From nobody Thu Dec  3 07:00:00 2026\n');
    assert.equal(verify([emptyMbox]).exit, 1 /* one empty message: not valid */);
    const nothing = verify(['--files-from', '-', '--jsonl'], '');
    assert.equal(nothing.exit, 2);
    assert.match(nothing.stderr, /no message to verify/);
  });

  test('a saved message that starts with its envelope "From " line is still one message, verified whole', () => {
    const saved = join(tmp, 'saved.eml');
    writeFileSync(saved, 'From alice@example.com Thu Dec  3 07:00:00 2026\nSubject: x\r\n\r\nhello\r\n');
    const r = verify([saved, '--json']);
    assert.equal(JSON.parse(r.stdout).verdict, 'unsigned', 'a single report, as for any one file');
  });

  test('usage errors', () => {
    assert.equal(verify([messages[0], '--json', '--jsonl']).exit, 2);
    assert.equal(verify([messages[0], '--jobs', '0']).exit, 2);
    assert.equal(verify([messages[0], '--jobs', 'x']).exit, 2);
    assert.equal(runCli(cli, ['verify']).exit, 2);
  });
});
