// The batch rows of `npm run bench`: what a CI job or an archive check costs. 1,000 small signed messages are
// verified by one `smime verify` run (one and two threads) against a shell loop of `openssl cms -verify` over the
// same files; then mbox archives of 1,000 and 10,000 messages are verified with --jsonl, with time and peak memory
// (memory must stay flat: the 10,000-message archive may not need more than the 1,000-message one).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const BATCH = Number(process.env.BENCH_BATCH_MESSAGES ?? 1000);
const ARCHIVE = Number(process.env.BENCH_ARCHIVE_MESSAGES ?? 10_000);
const BATCH_RUNS = Number(process.env.BENCH_BATCH_RUNS ?? 3);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time and peak RSS (GNU time, when present) of one command, run `runs` times; medians / maximum. */
function timed(cmd, args, { cwd, env, runs = BATCH_RUNS, expect = [0] }) {
  const haveTime = existsSync('/usr/bin/time');
  const ms = [];
  let peakKiB = NaN;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = haveTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd, env, maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] })
      : spawnSync(cmd, args, { cwd, env, maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!expect.includes(r.status)) throw new Error(`${cmd} ${args.slice(0, 4).join(' ')} ... exited ${r.status}: ${r.stderr}`);
    const rss = haveTime ? Number(r.stderr.toString().trim().split('\n').pop()) : NaN;
    peakKiB = Number.isNaN(peakKiB) ? rss : Math.max(peakKiB, rss);
  }
  return { ms: median(ms), peakMB: peakKiB / 1024 };
}

/** mboxrd: an archive of `count` messages taken round-robin from `files`, "From " lines quoted. */
function writeMbox(path, files, count) {
  const fd = openSync(path, 'w');
  const bodies = files.map((f) => readFileSync(f, 'latin1').replace(/^(>*From )/gm, '>$1'));
  for (let i = 0; i < count; i++) {
    writeSync(fd, `From bench@example.com Thu Dec  3 07:00:00 2026\n${bodies[i % bodies.length]}\n`, null, 'latin1');
  }
  closeSync(fd);
}

export function benchBatch({ dir, cli, env }) {
  const plain = join(dir, 'batch-plain');
  const signed = join(dir, 'batch-signed');
  mkdirSync(plain, { recursive: true });
  mkdirSync(signed, { recursive: true });
  const inputs = [];
  for (let i = 0; i < BATCH; i++) {
    const file = join(plain, `m${String(i).padStart(5, '0')}.eml`);
    writeFileSync(file, `From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: message ${i}\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n${`Line ${i} of a small test message.\r\n`.repeat(20)}`);
    inputs.push(file);
  }
  execFileSync(process.execPath, [cli, 'sign', ...inputs, '--cert', 'alice.pem', '--key', 'alice.key', '--out-dir', signed], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const files = readdirSync(signed).sort().map((f) => join(signed, f));
  const loop = `for f in ${signed}/*.eml; do openssl cms -verify -in "$f" -CAfile ca.pem -out /dev/null 2>/dev/null || exit 1; done`;
  const rows = [];
  const one = timed(process.execPath, [cli, 'verify', signed, '--ca', 'ca.pem', '--jsonl'], { cwd: dir, env });
  const two = timed(process.execPath, [cli, 'verify', signed, '--ca', 'ca.pem', '--jsonl', '--jobs', '2'], { cwd: dir, env });
  const openssl = timed('bash', ['-c', loop], { cwd: dir, env });
  const row = (name, r) => ({ name, messages: files.length, ms: +r.ms.toFixed(0), perMessageMs: +(r.ms / files.length).toFixed(2), vsOpensslLoop: +(r.ms / openssl.ms).toFixed(3), peakMB: +r.peakMB.toFixed(0) });
  rows.push(row('smime verify DIR (one process)', one), row('smime verify DIR --jobs 2', two), row('openssl cms -verify, shell loop', openssl));
  for (const count of [BATCH, ARCHIVE]) {
    const archive = join(dir, `archive-${count}.mbox`);
    writeMbox(archive, files, count);
    const r = timed(process.execPath, [cli, 'verify', archive, '--ca', 'ca.pem', '--jsonl'], { cwd: dir, env, runs: 1 });
    rows.push({ ...row(`smime verify archive.mbox --jsonl (${count} messages)`, r), messages: count, perMessageMs: +(r.ms / count).toFixed(2), vsOpensslLoop: NaN });
  }
  console.table(rows);
  console.log(`batch: ${files.length} signed messages of about ${(readFileSync(files[0]).length / 1024).toFixed(1)} KB; ${BATCH_RUNS} runs each, medians; archives run once; peak memory from GNU time`);
}
