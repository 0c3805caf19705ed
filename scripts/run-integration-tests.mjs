#!/usr/bin/env node
// Runs the integration tests (test/integration/*.vscode.test.ts, bundled into out/integration by
// `node esbuild.mjs --integration`) inside a real VS Code and ends with "N passed, N failed". Two runs, side by side,
// each in a VS Code of its own: the trusted workspace (workspace trust off), and Restricted Mode (workspace trust on,
// the folder not trusted) for *.untrusted.vscode.test.ts; the closing line counts both.
//   node scripts/run-integration-tests.mjs                 offline VS Code (code-server + Chromium; see setup-vscode-test.sh)
//   node scripts/run-integration-tests.mjs --electron      desktop VS Code downloaded by @vscode/test-electron
//                                                          (needs the internet; on headless Linux run it under xvfb-run -a;
//                                                          the trusted run only)
// Options: --trusted or --untrusted (that run only), --grep=TEXT (only matching tests), --verbose, --screenshot=FILE,
// --vscode-version=X (with --electron).
// A missing offline VS Code is a failure, never a skip: CI must not pass without running these tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opts = Object.fromEntries(process.argv.slice(2).map((a) => /^--([^=]+)(?:=(.*))?$/.exec(a)).filter(Boolean).map((m) => [m[1], m[2] ?? 'true']));
const testsPath = path.join(root, 'out/integration/index.js');
/** Output of the Restricted Mode run is prefixed so the two runs can be told apart. */
const PREFIX = { trusted: '', untrusted: '[restricted] ' };

function finish(passed, failed, started) {
  console.log(`[measure] integration layer: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

/** Writes whole lines of a stream with a prefix (the two runs print at the same time). */
function lineWriter(prefix) {
  let rest = '';
  return {
    write(chunk) {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    },
    end() {
      if (rest) process.stdout.write(`${prefix}${rest}\n`);
      rest = '';
    },
  };
}

/** Prints what the extension host appends to `file` while `running` is pending. */
async function follow(file, running, out) {
  let shown = 0;
  let done = false;
  running.then(() => (done = true));
  for (;;) {
    const last = done;
    if (existsSync(file)) {
      const text = readFileSync(file);
      if (text.length > shown) out.write(text.subarray(shown));
      shown = text.length;
    }
    if (last) {
      out.end();
      return running;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function runOffline(mode, workspace, env, logFile) {
  const args = [path.join(root, 'scripts/vscode-test/runner.mjs'), `--extensionDevelopmentPath=${root}`, `--extensionTestsPath=${testsPath}`, workspace];
  if (mode === 'untrusted') args.push('--untrusted');
  if (opts.verbose) args.push('--verbose');
  if (opts.screenshot) args.push(`--screenshot=${path.resolve(mode === 'untrusted' ? opts.screenshot.replace(/(\.\w+)?$/, '-restricted$1') : opts.screenshot)}`);
  const runnerOut = lineWriter(PREFIX[mode]);
  const running = new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...env, SMIME_TEST_LOG: logFile }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => runnerOut.write(d));
    child.on('exit', (code) => {
      runnerOut.end();
      resolve(code ?? 1);
    });
  });
  return follow(logFile, running, lineWriter(PREFIX[mode]));
}

async function runElectron(workspace, env) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      version: opts['vscode-version'],
      extensionDevelopmentPath: root,
      extensionTestsPath: testsPath,
      extensionTestsEnv: { SMIME_TEST_RESULTS: env.SMIME_TEST_RESULTS, SMIME_INTEGRATION_GREP: env.SMIME_INTEGRATION_GREP, SMIME_TEST_PKI: env.SMIME_TEST_PKI },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } catch (e) {
    console.error(`[integration] ${e.message ?? e}`);
    return 1;
  }
}

/**
 * Starts making the test PKI into `dir` while VS Code starts (test/integration/preparePki.ts); the extension hosts
 * read it from SMIME_TEST_PKI. Resolves to the exit code.
 */
function preparePki(dir) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'out/integration/preparePki.js'), dir], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** One VS Code run in a scratch folder of its own; resolves to its counts (a broken run counts as one failure). */
async function run(mode) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `smime-integration-${mode}-`));
  const workspace = path.join(scratch, 'workspace');
  const resultsFile = path.join(scratch, 'results.json');
  const env = { ...process.env, SMIME_TEST_RESULTS: resultsFile, SMIME_INTEGRATION_MODE: mode, SMIME_TEST_PKI: pkiDir };
  if (opts.grep) env.SMIME_INTEGRATION_GREP = opts.grep;
  mkdirSync(workspace);
  const code = opts.electron ? await runElectron(workspace, env) : await runOffline(mode, workspace, env, path.join(scratch, 'extension-host.log'));
  let results;
  try {
    results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch {
    console.error(`[integration] ${mode}: no results from the extension host (exit code ${code}): VS Code did not run the tests`);
  }
  rmSync(scratch, { recursive: true, force: true });
  if (!results) return { passed: 0, failed: 1 };
  for (const f of results.failures) console.log(`[integration] FAILED ${PREFIX[mode]}${f.title}`);
  // A non-zero exit with every test passed still counts as a failure (the host or the runner broke).
  return { passed: results.passed, failed: results.failed + (code !== 0 && results.failed === 0 ? 1 : 0) };
}

const started = Date.now();
for (const file of [testsPath, path.join(root, 'out/integration/preparePki.js'), path.join(root, 'dist/extension.js')]) {
  if (!existsSync(file)) {
    console.error(`[integration] ${path.relative(root, file)} is missing: run "node esbuild.mjs && node esbuild.mjs --integration"`);
    finish(0, 1, started);
  }
}
if (opts.electron && opts.untrusted) {
  console.error('[integration] --untrusted needs the offline VS Code (the desktop run disables workspace trust)');
  finish(0, 1, started);
}
const modes = opts.untrusted ? ['untrusted'] : opts.trusted || opts.electron ? ['trusted'] : ['trusted', 'untrusted'];
const pkiDir = mkdtempSync(path.join(os.tmpdir(), 'smime-integration-pki-'));
const pkiReady = preparePki(pkiDir);
const counts = await Promise.all(modes.map(run));
// A PKI that could not be made has already failed the tests that needed it; this counts it even if none did.
if ((await pkiReady) !== 0) counts.push({ passed: 0, failed: 1 });
rmSync(pkiDir, { recursive: true, force: true });
finish(counts.reduce((n, c) => n + c.passed, 0), counts.reduce((n, c) => n + c.failed, 0), started);
