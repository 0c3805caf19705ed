#!/usr/bin/env node
// Runs the integration tests (test/integration/*.vscode.test.ts, bundled into out/integration by
// `node esbuild.mjs --integration`) inside a real VS Code and ends with "N passed, N failed".
//   node scripts/run-integration-tests.mjs                 offline VS Code (code-server + Chromium; see setup-vscode-test.sh)
//   node scripts/run-integration-tests.mjs --electron      desktop VS Code downloaded by @vscode/test-electron
//                                                          (needs the internet; on headless Linux run it under xvfb-run -a)
// Options: --grep=TEXT (only matching tests), --verbose, --screenshot=FILE, --vscode-version=X (with --electron).
// A missing offline VS Code is a failure, never a skip: CI must not pass without running these tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opts = Object.fromEntries(process.argv.slice(2).map((a) => /^--([^=]+)(?:=(.*))?$/.exec(a)).filter(Boolean).map((m) => [m[1], m[2] ?? 'true']));
const testsPath = path.join(root, 'out/integration/index.js');

function finish(passed, failed, started) {
  console.log(`[measure] integration layer: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

/** Prints what the extension host appends to `file` while `running` is pending. */
async function follow(file, running) {
  let shown = 0;
  let done = false;
  running.then(() => (done = true));
  for (;;) {
    const last = done;
    if (existsSync(file)) {
      const text = readFileSync(file);
      if (text.length > shown) process.stdout.write(text.subarray(shown));
      shown = text.length;
    }
    if (last) return running;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function runOffline(workspace, env) {
  const args = [path.join(root, 'scripts/vscode-test/runner.mjs'), `--extensionDevelopmentPath=${root}`, `--extensionTestsPath=${testsPath}`, workspace];
  if (opts.verbose) args.push('--verbose');
  if (opts.screenshot) args.push(`--screenshot=${path.resolve(opts.screenshot)}`);
  const running = new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...env, SMIME_TEST_LOG: logFile }, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
  return follow(logFile, running);
}

async function runElectron(workspace, env) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      version: opts['vscode-version'],
      extensionDevelopmentPath: root,
      extensionTestsPath: testsPath,
      extensionTestsEnv: { SMIME_TEST_RESULTS: env.SMIME_TEST_RESULTS, SMIME_INTEGRATION_GREP: env.SMIME_INTEGRATION_GREP },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } catch (e) {
    console.error(`[integration] ${e.message ?? e}`);
    return 1;
  }
}

const started = Date.now();
for (const file of [testsPath, path.join(root, 'dist/extension.js')]) {
  if (!existsSync(file)) {
    console.error(`[integration] ${path.relative(root, file)} is missing: run "node esbuild.mjs && node esbuild.mjs --integration"`);
    finish(0, 1, started);
  }
}
const scratch = mkdtempSync(path.join(os.tmpdir(), 'smime-integration-'));
const workspace = path.join(scratch, 'workspace');
const resultsFile = path.join(scratch, 'results.json');
const logFile = path.join(scratch, 'extension-host.log');
const env = { ...process.env, SMIME_TEST_RESULTS: resultsFile };
if (opts.grep) env.SMIME_INTEGRATION_GREP = opts.grep;
mkdirSync(workspace);
const code = opts.electron ? await runElectron(workspace, env) : await runOffline(workspace, env);
let results;
try {
  results = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  console.error(`[integration] no results from the extension host (exit code ${code}): VS Code did not run the tests`);
}
rmSync(scratch, { recursive: true, force: true });
if (!results) finish(0, 1, started);
for (const f of results.failures) console.log(`[integration] FAILED ${f.title}`);
// A non-zero exit with every test passed still counts as a failure (the host or the runner broke).
finish(results.passed, results.failed + (code !== 0 && results.failed === 0 ? 1 : 0), started);
