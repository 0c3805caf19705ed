// Entry point of the integration tests inside VS Code's extension host (the `extensionTestsPath` module): runs
// every bundled *.vscode.test.js beside this file with mocha's TDD interface (*.untrusted.vscode.test.js only, and
// only they, when SMIME_INTEGRATION_MODE=untrusted), prints "N passed, N failed" and, when SMIME_TEST_RESULTS
// names a file, writes the counts there for the runner that started VS Code.
// A remote extension host (the offline VS Code) does not pass its console on, so with SMIME_TEST_LOG set the
// output also goes to that file, which the runner shows as it grows.
import Mocha from 'mocha';
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { format } from 'node:util';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

const EXTENSION_ID = 'smime-tools.smime-eml';
/** Per test: the first test of a run also pays for the extension's activation and the language's start. */
const TEST_TIMEOUT_MS = 60_000;
/** Tests that need Restricted Mode (run with SMIME_INTEGRATION_MODE=untrusted, and only then). */
const UNTRUSTED_SUFFIX = '.untrusted.vscode.test.js';

export interface IntegrationResults {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  activationMs: number | null;
  durationMs: number;
}

/** Prints a line, and appends it to SMIME_TEST_LOG when set (the remote extension host's console goes nowhere,
 *  and its console methods cannot be replaced). */
function log(...args: unknown[]): void {
  console.log(...args);
  if (process.env.SMIME_TEST_LOG) appendFileSync(process.env.SMIME_TEST_LOG, format(...args) + '\n');
}

/** Activates the extension explicitly before any test, to time activation on its own. */
async function measureActivation(): Promise<number | null> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  if (extension.isActive) return null;
  const start = performance.now();
  await extension.activate();
  return performance.now() - start;
}

function runMocha(files: string[], results: IntegrationResults): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: TEST_TIMEOUT_MS, reporter: 'spec' });
  if (process.env.SMIME_INTEGRATION_GREP) mocha.grep(process.env.SMIME_INTEGRATION_GREP);
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => results.passed++);
    runner.on('pending', () => results.pending++);
    runner.on('fail', (test, error: Error) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: String(error?.stack ?? error) });
    });
  });
}

export async function run(): Promise<void> {
  const started = performance.now();
  // mocha's reporters print through Base.consoleLog.
  Mocha.reporters.Base.consoleLog = log;
  const results: IntegrationResults = { passed: 0, failed: 0, pending: 0, failures: [], activationMs: null, durationMs: 0 };
  try {
    results.activationMs = await measureActivation();
    log(results.activationMs === null ? '[measure] extension was already active' : `[measure] extension activation: ${results.activationMs.toFixed(1)} ms`);
    // Restricted Mode needs a window started with workspace trust on: its tests run in a run of their own.
    const restricted = process.env.SMIME_INTEGRATION_MODE === 'untrusted';
    const files = readdirSync(__dirname)
      .filter((n) => n.endsWith('.vscode.test.js') && n.endsWith(UNTRUSTED_SUFFIX) === restricted)
      .sort()
      .map((n) => join(__dirname, n));
    if (files.length === 0) throw new Error(`no ${restricted ? `*${UNTRUSTED_SUFFIX}` : '*.vscode.test.js'} in ${__dirname}`);
    await runMocha(files, results);
    // With --grep one of the two runs may well have nothing to run; without it, an empty run means a broken harness.
    if (results.passed + results.failed === 0 && !process.env.SMIME_INTEGRATION_GREP) throw new Error('no test ran');
  } catch (error) {
    results.failed++;
    results.failures.push({ title: 'integration harness', error: String((error as Error)?.stack ?? error) });
    log(`[harness] ${(error as Error)?.stack ?? error}`);
  }
  results.durationMs = performance.now() - started;
  if (process.env.SMIME_TEST_RESULTS) writeFileSync(process.env.SMIME_TEST_RESULTS, JSON.stringify(results, null, 2));
  log(`${results.passed} passed, ${results.failed} failed`);
  if (results.failed > 0) throw new Error(`${results.failed} integration test(s) failed`);
}
