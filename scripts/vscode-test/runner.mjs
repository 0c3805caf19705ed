#!/usr/bin/env node
// Runs extension tests (in VS Code's Node extension host) inside the offline VS Code of codeServer.mjs.
// Takes the desktop VS Code command line, so it also serves as `vscodeExecutablePath` for @vscode/test-electron:
//   node scripts/vscode-test/runner.mjs --extensionDevelopmentPath=. --extensionTestsPath=out/integration/index.js [FOLDER]
// Flags only desktop VS Code understands (--no-sandbox, --user-data-dir=..., ...) are ignored.
// Own flags: --screenshot=FILE (picture of the workbench when the tests end), --timeout=SECONDS, --verbose, --keep-state,
// --untrusted (workspace trust on and the folder not trusted: the tests run in Restricted Mode).
// Exit code: the one the extension host reports (0 when every test passed), 124 on timeout, 2 on a setup problem.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkInstall, launchChromium, startCodeServer, workbenchUrl } from './codeServer.mjs';

const opts = { dev: [], positional: [] };
for (const arg of process.argv.slice(2)) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
  if (!m) opts.positional.push(arg);
  else if (m[1] === 'extensionDevelopmentPath') opts.dev.push(m[2]);
  else opts[m[1]] = m[2] ?? 'true';
}
if (!opts.extensionTestsPath) {
  console.error('[runner] missing --extensionTestsPath');
  process.exit(2);
}
try {
  checkInstall();
} catch (e) {
  console.error(`[runner] ${e.message}`);
  process.exit(2);
}

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const developmentPaths = (opts.dev.length ? opts.dev : ['.']).map((p) => path.resolve(p));
const testsPath = path.resolve(opts.extensionTestsPath);
const folder = opts.positional.length ? path.resolve(opts.positional.at(-1)) : undefined;
const timeoutMs = Number(opts.timeout ?? process.env.VSCODE_TEST_TIMEOUT ?? 600) * 1000;
const screenshot = opts.screenshot ?? process.env.VSCODE_TEST_SCREENSHOT;
const verbose = opts.verbose === 'true';
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'smime-vscode-'));

let server;
let browser;
const cleanup = async () => {
  try {
    await browser?.close();
  } catch {
    // already closed
  }
  await server?.stop();
  if (opts['keep-state'] !== 'true') fs.rmSync(state, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await cleanup();
    process.exit(130);
  });
}

async function runTests() {
  server = await startCodeServer({ state, testDriver: true, verbose, logLevel: process.env.CS_LOG_LEVEL ?? 'warn', workspaceTrust: opts.untrusted === 'true' });
  console.log(`[runner] code-server up on 127.0.0.1:${server.port} (${elapsed()})`);
  browser = await launchChromium(state);
  const page = browser.pages()[0] ?? (await browser.newPage());
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  // The workbench calls these when it runs extension tests (the protocol @vscode/test-web uses).
  await page.exposeFunction('codeAutomationLog', (type, args) => (console[type] ?? console.log)(...args));
  await page.exposeFunction('codeAutomationExit', async (code) => {
    if (screenshot) {
      await page.waitForTimeout(1500);
      await page.screenshot({ path: screenshot }).catch((e) => console.error(`[runner] screenshot failed: ${e.message}`));
    }
    finish(code);
  });
  if (verbose) page.on('console', (m) => console.log(`[browser:${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
  page.on('crash', () => {
    console.error('[runner] page crashed');
    finish(1);
  });
  console.log(`[runner] opening the workbench (${elapsed()})`);
  await page.goto(workbenchUrl(server.url, server.port, { folder, developmentPaths, testsPath }));
  page.waitForSelector('.monaco-workbench', { timeout: 120_000 }).catch(() => {
    console.error(`[runner] the workbench did not start within 120 s; code-server log:\n${server.log()}`);
    finish(1);
  });
  const timer = setTimeout(async () => {
    await page.screenshot({ path: path.join(os.tmpdir(), 'smime-vscode-timeout.png') }).catch(() => {});
    console.error(`[runner] TIMEOUT after ${timeoutMs / 1000}s (screenshot ${os.tmpdir()}/smime-vscode-timeout.png); code-server log:\n${server.log()}`);
    finish(124);
  }, timeoutMs);
  const code = await done;
  clearTimeout(timer);
  console.log(`[runner] extension host exit code ${code} (${elapsed()})`);
  return code;
}

let exitCode = 1;
try {
  exitCode = await runTests();
} catch (e) {
  console.error(`[runner] ${e.stack ?? e}`);
} finally {
  await cleanup();
}
process.exit(exitCode);
