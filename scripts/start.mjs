#!/usr/bin/env node
// `npm start`: builds the extension, writes a demo workspace (`smime demo`: test-only PKI and sample messages)
// and opens it with the extension loaded and a signed sample message in the message view: in desktop VS Code
// when `code` is on the PATH, otherwise in the offline VS Code (scripts/setup-vscode-test.sh, without Chromium:
// only the tests drive a browser), bound to 127.0.0.1, whose URL is printed.
//   node scripts/start.mjs [--fresh] [--port=N] [--workspace=DIR]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInstall, startCodeServer, workbenchUrl } from './vscode-test/codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opts = Object.fromEntries(process.argv.slice(2).map((a) => /^--([^=]+)(?:=(.*))?$/.exec(a)).filter(Boolean).map((m) => [m[1], m[2] ?? 'true']));
const workspace = path.resolve(opts.workspace ?? path.join(os.tmpdir(), 'smime-eml-demo'));
/** The message shown first: signed by alice, verified against the demo root the workspace settings trust. */
const sample = path.join(workspace, 'messages', 'signed-detached.eml');

function build() {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
}

/** Writes the demo once; later starts reuse it (and whatever was changed in it) unless --fresh. */
function demoWorkspace() {
  if (opts.fresh === 'true') rmSync(workspace, { recursive: true, force: true });
  if (existsSync(workspace) && readdirSync(workspace).length > 0) {
    console.log(`Using the demo workspace in ${workspace} (--fresh writes a new one)`);
    return;
  }
  execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'demo', workspace], { stdio: 'inherit' });
}

function hasDesktopCode() {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

function openInDesktop() {
  spawn('code', [`--extensionDevelopmentPath=${root}`, workspace, sample], { stdio: 'ignore', detached: true }).unref();
  console.log(`Opened ${workspace} in VS Code with the extension from ${root}, showing ${path.relative(workspace, sample)}.`);
}

async function serveOffline() {
  try {
    checkInstall();
  } catch {
    // First start on this machine: install the offline VS Code from the npm registry (a few minutes, once).
    console.log('No `code` on the PATH: installing the offline VS Code (scripts/setup-vscode-test.sh, once)...');
    const setup = spawnSync('bash', [path.join(root, 'scripts/setup-vscode-test.sh')], { cwd: root, stdio: 'inherit', env: { ...process.env, SMIME_SETUP_SKIP_CHROMIUM: '1' } });
    try {
      if (setup.status !== 0) throw new Error(`setup exited with ${setup.status}`);
      checkInstall();
    } catch (e) {
      console.error(`No \`code\` on the PATH and the offline VS Code could not be installed:\n${e.message}`);
      process.exit(1);
    }
  }
  const state = mkdtempSync(path.join(os.tmpdir(), 'smime-start-'));
  // The development payload in the URL is only honoured with the test driver option.
  const server = await startCodeServer({ state, port: opts.port ? Number(opts.port) : undefined, testDriver: true });
  const stop = async () => {
    await server.stop();
    rmSync(state, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`\nVS Code with the extension is running (Ctrl+C stops it). Open:\n\n  ${workbenchUrl(server.url, server.port, { folder: workspace, developmentPaths: [root], openFile: existsSync(sample) ? sample : undefined })}\n`);
}

build();
demoWorkspace();
if (hasDesktopCode()) openInDesktop();
else await serveOffline();
