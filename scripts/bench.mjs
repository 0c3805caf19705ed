// `npm run bench`: the extension's bundle sizes and activation time (scripts/activation.mjs; BENCH_EXTENSION_ONLY=1
// stops there), then whole-process timings of `smime verify` / `decrypt` / `sign` / `encrypt` on 10 MB messages
// against `openssl cms -verify` / `-decrypt` / `-sign` / `-encrypt` on the same files in the same run, with ratios and peak memory.
// Timings on a shared machine are noisy, so the two commands run alternately several times and medians are
// compared. Where a command writes a result, both write it to a new file in the same folder (the cost of writing
// 10 MB is part of the job; the previous run's output is removed first, untimed, so neither tool pays to replace
// it). Node's own start-up is shown too: it is a fixed cost that OpenSSL does not have.
//
// NODE_EXTRA_CA_CERTS is cleared for every timed process: Node parses that file at start-up for TLS, which smime
// never uses, and on a machine that sets it globally that alone costs tens of milliseconds per run (printed below).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { measureActivation } from './activation.mjs';
import { benchBatch } from './benchBatch.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIZE = Number(process.env.BENCH_BYTES ?? 10 * 1024 * 1024);
const cli = resolve('dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'smime-bench-'));
const openssl = (args, input) => execFileSync('openssl', args, { cwd: dir, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });

function setup() {
  writeFileSync(join(dir, 'ext.cnf'), '[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n[leaf]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nsubjectAltName=email:alice@example.com\n');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Bench CA', '-days', '30', '-extensions', 'ca', '-config', 'ext.cnf']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'alice.key', '-out', 'alice.csr', '-subj', '/CN=Alice']);
  openssl(['x509', '-req', '-in', 'alice.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'alice.pem', '-days', '30', '-extfile', 'ext.cnf', '-extensions', 'leaf']);
  // A 10 MB MIME entity: text with a base64 attachment, CRLF, as a real large mail.
  const line = 'The quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOP\r\n';
  const text = line.repeat(Math.floor(SIZE / 2 / line.length));
  const attachment = Buffer.alloc(Math.floor(SIZE / 2 / 1.37), 7).toString('base64').replace(/(.{76})/g, '$1\r\n');
  const entity = `Content-Type: multipart/mixed; boundary="bench"\r\n\r\n--bench\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--bench\r\nContent-Type: application/octet-stream; name="data.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--bench--\r\n`;
  writeFileSync(join(dir, 'entity.txt'), entity);
  writeFileSync(join(dir, 'sign-floor.cjs'), NODE_SIGN_FLOOR);
  // The same entity as a whole message (headers + body), the input of `smime sign` / `smime encrypt`.
  writeFileSync(join(dir, 'entity.eml'), 'From: Alice <alice@example.com>\r\nTo: alice@example.com\r\nSubject: bench\r\nDate: ' + new Date().toUTCString() + '\r\nMIME-Version: 1.0\r\n' + entity);
  const head = 'From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: bench\r\nDate: ' + new Date().toUTCString() + '\r\n';
  const sign = (extra) => openssl(['cms', '-sign', '-binary', '-in', 'entity.txt', '-signer', 'alice.pem', '-inkey', 'alice.key', '-md', 'sha256', ...extra]);
  writeFileSync(join(dir, 'detached.eml'), Buffer.concat([Buffer.from(head), sign([])]));
  writeFileSync(join(dir, 'opaque.eml'), Buffer.concat([Buffer.from(head), sign(['-nodetach'])]));
  const encrypt = (cipher) => openssl(['cms', '-encrypt', '-binary', '-in', 'entity.txt', `-${cipher}`, 'alice.pem']);
  writeFileSync(join(dir, 'cbc.eml'), Buffer.concat([Buffer.from(head), encrypt('aes256')]));
  writeFileSync(join(dir, 'gcm.eml'), Buffer.concat([Buffer.from(head), encrypt('aes-256-gcm')]));
}

// The least any Node program signing this file must do (start Node, read, hash, sign, write the input and the
// signature to a new file; no MIME parsing, no ESP-safe checks, no CMS encoding): the floor of a Node signer here.
const NODE_SIGN_FLOOR = `
const { closeSync, openSync, readFileSync, renameSync, writevSync } = require('node:fs');
const { createHash, createPrivateKey, sign } = require('node:crypto');
const [input, keyFile, out] = process.argv.slice(2);
const data = readFileSync(input);
const signature = sign('sha256', createHash('sha256').update(data).digest(), createPrivateKey(readFileSync(keyFile)));
const fd = openSync(out + '.tmp', 'wx');
writevSync(fd, [Buffer.from('Content-Type: multipart/signed\\r\\n\\r\\n'), data, Buffer.from(signature.toString('base64'))]);
closeSync(fd);
renameSync(out + '.tmp', out);
`;

const haveTime = existsSync('/usr/bin/time');
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

/** The output file a command names (-o / -out) in the bench folder, removed before each run (never /dev/null). */
function removeOutput(args) {
  const at = args.findIndex((a) => a === '-o' || a === '-out');
  if (at !== -1 && !isAbsolute(args[at + 1])) rmSync(join(dir, args[at + 1]), { force: true });
}

/** Runs a command once; returns wall ms and peak RSS in KiB (from GNU time when available). */
function runOnce(cmd, args, runEnv = env) {
  removeOutput(args);
  const t0 = process.hrtime.bigint();
  const r = haveTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd: dir, maxBuffer: 1 << 30, encoding: 'buffer', env: runEnv })
    : spawnSync(cmd, args, { cwd: dir, maxBuffer: 1 << 30, env: runEnv });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rssLine = haveTime ? r.stderr.toString().trim().split('\n').pop() : '';
  return { ms, rssKiB: Number(rssLine) || NaN, status: r.status };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(cmd, args, expectStatus, runEnv = env) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = runOnce(cmd, args, runEnv);
    if (r.status !== expectStatus) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    runs.push(r);
  }
  return { ms: median(runs.map((r) => r.ms)), rssKiB: Math.max(...runs.map((r) => r.rssKiB)) };
}

/** Runs the two commands alternately (ours, theirs, ours, ...) so that drift in the machine's load hits both alike. */
function measurePair([cmdA, argsA], [cmdB, argsB], beforeEach = () => undefined) {
  const runsA = [];
  const runsB = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [cmd, args, runs] of [[cmdA, argsA, runsA], [cmdB, argsB, runsB]]) {
      beforeEach();
      const r = runOnce(cmd, args);
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
      runs.push(r);
    }
  }
  const summary = (runs) => ({ ms: median(runs.map((r) => r.ms)), rssKiB: Math.max(...runs.map((r) => r.rssKiB)) });
  return [summary(runsA), summary(runsB)];
}

/** What the extension loads when: the bundles' sizes, then activation and first use timed in plain Node. */
function extensionFigures() {
  const files = ['dist/extension.js', 'dist/core.js', 'dist/legacy/forge.js', 'dist/legacy/libmime.js', 'dist/webview.js', 'dist/smime.js', 'dist/smime-sign.js'];
  console.table(files.filter((file) => existsSync(file)).map((file) => ({ file, KB: +(statSync(file).size / 1024).toFixed(1), loaded: LOADED_WHEN[file] })));
  const result = measureActivation(resolve('dist/extension.js'), RUNS);
  console.log(`[measure] activation in plain Node (load dist/extension.js + activate): ${result.activateMs.toFixed(1)} ms; first use (load dist/core.js + register): ${result.coreMs.toFixed(1)} ms; ${RUNS} fresh processes, medians`);
}
const LOADED_WHEN = {
  'dist/extension.js': 'activation',
  'dist/core.js': 'first editor, command or .eml opened as text',
  'dist/legacy/forge.js': 'RC2 mail or a legacy PKCS#12 file',
  'dist/legacy/libmime.js': 'writing header fields with 8-bit text',
  'dist/webview.js': 'in the message editor\'s webview',
  'dist/smime.js': 'the smime command line',
  'dist/smime-sign.js': 'smime sign (encrypt and sign-encrypt have a bundle of their own too)',
};

extensionFigures();
if (process.env.BENCH_EXTENSION_ONLY === '1') process.exit(0);
setup();
// BENCH_ONLY=batch runs only the batch rows (scripts/benchBatch.mjs).
const onlyBatch = process.env.BENCH_ONLY === 'batch';
const cases = onlyBatch ? [] : [
  ['verify detached', 'detached.eml', ['verify', 'detached.eml', '--ca', 'ca.pem'], ['cms', '-verify', '-binary', '-in', 'detached.eml', '-CAfile', 'ca.pem', '-out', '/dev/null']],
  ['verify opaque', 'opaque.eml', ['verify', 'opaque.eml', '--ca', 'ca.pem'], ['cms', '-verify', '-binary', '-in', 'opaque.eml', '-CAfile', 'ca.pem', '-out', '/dev/null']],
  ['decrypt AES-256-CBC', 'cbc.eml', ['decrypt', 'cbc.eml', '--key', 'alice.key', '--cert', 'alice.pem', '-o', 'out-cbc.txt'], ['cms', '-decrypt', '-binary', '-in', 'cbc.eml', '-recip', 'alice.pem', '-inkey', 'alice.key', '-out', 'openssl-cbc.txt']],
  // OpenSSL's default (no -binary) makes the content canonical CRLF, as smime does; -binary skips that step.
  ['sign detached', 'entity.eml', ['sign', 'entity.eml', '--cert', 'alice.pem', '--key', 'alice.key', '-o', 'out-signed.eml'], ['cms', '-sign', '-in', 'entity.eml', '-signer', 'alice.pem', '-inkey', 'alice.key', '-md', 'sha256', '-out', 'openssl-signed.eml']],
  ['sign detached (openssl -binary)', 'entity.eml', ['sign', 'entity.eml', '--cert', 'alice.pem', '--key', 'alice.key', '-o', 'out-signed.eml'], ['cms', '-sign', '-binary', '-in', 'entity.eml', '-signer', 'alice.pem', '-inkey', 'alice.key', '-md', 'sha256', '-out', 'openssl-signed.eml']],
  ['encrypt AES-256-CBC', 'entity.eml', ['encrypt', 'entity.eml', '--to', 'alice.pem', '--no-self', '-o', 'out-encrypted.eml'], ['cms', '-encrypt', '-aes256', '-in', 'entity.eml', '-out', 'openssl-encrypted.eml', 'alice.pem']],
  ['encrypt AES-256-CBC (openssl -binary)', 'entity.eml', ['encrypt', 'entity.eml', '--to', 'alice.pem', '--no-self', '-o', 'out-encrypted.eml'], ['cms', '-encrypt', '-binary', '-aes256', '-in', 'entity.eml', '-out', 'openssl-encrypted.eml', 'alice.pem']],
  ['decrypt AES-256-GCM', 'gcm.eml', ['decrypt', 'gcm.eml', '--key', 'alice.key', '--cert', 'alice.pem', '-o', 'out-gcm.txt'], ['cms', '-decrypt', '-binary', '-in', 'gcm.eml', '-recip', 'alice.pem', '-inkey', 'alice.key', '-out', 'openssl-gcm.txt']],
];
// The CLI's own footprint (Node plus our code, no message) is measured first; memory per message is read above it,
// and the work each tool does on the message is its time minus its own start-up (`smime --version`, `openssl version`).
const idle = measure(process.execPath, [cli, '--version'], 0);
const opensslIdle = measure('openssl', ['version'], 0);
const rows = [];
for (const [name, file, ours, theirs] of cases) {
  const size = statSync(join(dir, file)).size;
  const [a, b] = measurePair([process.execPath, [cli, ...ours]], ['openssl', theirs]);
  rows.push({ name, sizeMB: +(size / 1048576).toFixed(1), smimeMs: +a.ms.toFixed(1), opensslMs: +b.ms.toFixed(1), ratio: +(a.ms / b.ms).toFixed(2), workRatio: +((a.ms - idle.ms) / Math.max(1, b.ms - opensslIdle.ms)).toFixed(2), smimePeakMB: +(a.rssKiB / 1024).toFixed(0), aboveIdleOverSize: +(((a.rssKiB - idle.rssKiB) * 1024) / size).toFixed(2) });
}
// The Node floor against the same OpenSSL run as 'sign detached': how close to OpenSSL any Node signer can get here.
if (!onlyBatch) {
  const floorArgs = ['sign-floor.cjs', 'entity.eml', 'alice.key', 'out-floor.eml'];
  const opensslSign = cases.find(([name]) => name === 'sign detached')[3];
  rmSync(join(dir, 'out-floor.eml'), { force: true });
  const [a, b] = measurePair([process.execPath, floorArgs], ['openssl', opensslSign], () => rmSync(join(dir, 'out-floor.eml'), { force: true }));
  rows.push({ name: 'node floor: read, hash, sign, write', sizeMB: rows[0].sizeMB, smimeMs: +a.ms.toFixed(1), opensslMs: +b.ms.toFixed(1), ratio: +(a.ms / b.ms).toFixed(2), workRatio: NaN, smimePeakMB: +(a.rssKiB / 1024).toFixed(0), aboveIdleOverSize: NaN });
}
// `smime sign` against the Node floor directly, alternately in the same run: what the CLI costs on top of the
// least a Node signer must do (its start-up, the MIME parse, the ESP-safety scan and the CMS encoding).
let signOverFloor;
if (!onlyBatch) {
  const signArgs = [cli, ...cases.find(([name]) => name === 'sign detached')[2]];
  const floorArgs = ['sign-floor.cjs', 'entity.eml', 'alice.key', 'out-floor.eml'];
  const [a, b] = measurePair([process.execPath, signArgs], [process.execPath, floorArgs], () => rmSync(join(dir, 'out-floor.eml'), { force: true }));
  signOverFloor = `sign / node floor: ${a.ms.toFixed(1)} ms / ${b.ms.toFixed(1)} ms = ${(a.ms / b.ms).toFixed(2)} (smime sign detached against the floor, alternately, ${RUNS} runs each, medians)`;
  // BENCH_SIGN_BASELINE=path/to/other/dist/cli.js: another build of smime (e.g. the previous commit's) in the same
  // rotation, baseline, this build, floor, so that a change of a few ms is not lost in the machine's drift.
  const baseline = process.env.BENCH_SIGN_BASELINE;
  if (baseline) {
    const others = [resolve(baseline), cli].map((file) => ({ args: [file, ...signArgs.slice(1)], ms: [] }));
    const floorMs = [];
    const timed = (args) => {
      const r = runOnce(process.execPath, args);
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
      return r.ms;
    };
    for (let i = 0; i < RUNS; i++) {
      for (const other of others) other.ms.push(timed(other.args));
      rmSync(join(dir, 'out-floor.eml'), { force: true });
      floorMs.push(timed(floorArgs));
    }
    const [before, now, floor] = [...others.map((o) => median(o.ms)), median(floorMs)];
    signOverFloor += `\nsign baseline / this build / node floor: ${before.toFixed(1)} ms / ${now.toFixed(1)} ms / ${floor.toFixed(1)} ms = ${(before / floor).toFixed(2)} / ${(now / floor).toFixed(2)} (in turn, ${RUNS} runs each, medians)`;
  }
}
// Node's own start-up is part of every whole-process figure; show it so the ratio can be read fairly.
const nodeStart = measure(process.execPath, ['-e', '0'], 0);
if (rows.length) console.table(rows);
if (signOverFloor) console.log(signOverFloor);
console.log(`node start-up alone: ${nodeStart.ms.toFixed(1)} ms, ${(nodeStart.rssKiB / 1024).toFixed(0)} MB; smime --version: ${idle.ms.toFixed(1)} ms, ${(idle.rssKiB / 1024).toFixed(0)} MB; openssl version: ${opensslIdle.ms.toFixed(1)} ms; ${RUNS} runs each, medians`);
if (extraCaCerts) {
  const withCa = measure(process.execPath, ['-e', '0'], 0, process.env);
  console.log(`NODE_EXTRA_CA_CERTS is set here and was cleared for the runs above; with it, node start-up alone takes ${withCa.ms.toFixed(1)} ms (+${(withCa.ms - nodeStart.ms).toFixed(1)} ms on every smime run)`);
}
console.log('ratio = smime / openssl (whole process, medians); workRatio = the same without each tool\'s start-up;');
console.log('aboveIdleOverSize = (peak RSS - idle CLI RSS) / message size');
if (!onlyBatch && !readFileSync(join(dir, 'out-cbc.txt')).equals(readFileSync(join(dir, 'entity.txt')))) {
  throw new Error('decrypted content differs from the original');
}
// Batch rows (BENCH_BATCH=0 skips them): a CI job's 1,000 messages and mbox archives of 1,000 and 10,000.
if (process.env.BENCH_BATCH !== '0') benchBatch({ dir, cli, env });
rmSync(dir, { recursive: true, force: true });
