#!/usr/bin/env node
// `npm run screenshots`: pictures of the extension in a real VS Code (the offline one of scripts/vscode-test),
// driven like a person would: Quick Open, the command palette, buttons in the message view. Writes
// media/screenshots/*.png. The workspace is a fresh `smime demo` (test-only keys), set up to decrypt as bob.
//   node scripts/screenshots.mjs [--out=DIR] [--only=NAME,...] [--verbose]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, startCodeServer, workbenchUrl } from './vscode-test/codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const opts = Object.fromEntries(process.argv.slice(2).map((a) => /^--([^=]+)(?:=(.*))?$/.exec(a)).filter(Boolean).map((m) => [m[1], m[2] ?? 'true']));
const outDir = path.resolve(opts.out ?? path.join(root, 'media/screenshots'));
const only = opts.only ? new Set(opts.only.split(',')) : undefined;
/** How long to wait for anything the workbench or the extension draws. */
const UI_TIMEOUT_MS = 30_000;

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** A demo workspace: test PKI and sample messages, decrypting with bob's PEM key so no passphrase is asked. */
function demoWorkspace(dir, inboxPort) {
  execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'demo', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const settingsFile = path.join(dir, '.vscode/settings.json');
  const settings = existsSync(settingsFile) ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {};
  Object.assign(settings, { 'smime.decrypt.p12': '', 'smime.decrypt.key': '${workspaceFolder}/bob.key.pem', 'smime.decrypt.cert': '${workspaceFolder}/bob.pem', 'smime.inbox.port': inboxPort });
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
}

function ui(page) {
  const find = async (selector) => {
    for (let waited = 0; waited < UI_TIMEOUT_MS; waited += 200) {
      for (const frame of page.frames()) {
        const handle = await frame.$(selector).catch(() => null);
        if (handle) return handle;
      }
      await page.waitForTimeout(200);
    }
    throw new Error(`nothing matches ${selector} in the page or its webviews`);
  };
  // A focused webview keeps keyboard shortcuts to itself: give the focus back to the workbench first.
  const focusWorkbench = () => page.click('.part.sidebar .composite.title');
  return {
    /** Waits for an element in the page or inside a webview (webviews are nested iframes). */
    find,
    async quickOpen(name) {
      await focusWorkbench();
      await page.keyboard.press('Control+P');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type(name);
      // Click the row itself: Enter could still hit the first row of the list shown before the filter applied.
      await page.click(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`, { timeout: UI_TIMEOUT_MS });
    },
    async palette(text) {
      await focusWorkbench();
      await page.keyboard.press('Control+Shift+P');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type(text);
      await page.click(`.quick-input-list .monaco-list-row[aria-label*="${text}"]`, { timeout: UI_TIMEOUT_MS });
    },
    async shot(name) {
      if (only && !only.has(name)) return;
      // No hover tooltip in the picture.
      await page.mouse.move(5, 5);
      await page.waitForTimeout(800);
      const file = path.join(outDir, `${name}.png`);
      await page.screenshot({ path: file });
      console.log(`${path.relative(root, file)} (${elapsed()})`);
    },
  };
}

async function messageViews(page, u) {
  await u.quickOpen('signed-detached.eml');
  await u.find('#summary.tone-valid, #summary');
  await u.shot('message-view-valid');

  await u.palette('Show Signer Certificate');
  await u.find('details.certificate[open]');
  await u.shot('certificate');

  await u.quickOpen('tampered.eml');
  await u.find('#summary.tone-invalid, #summary.tone-error');
  await u.shot('message-view-tampered');

  // bob's key needs no passphrase, so the message opens decrypted by itself (smime.decrypt.automatically).
  await u.quickOpen('signed-encrypted.eml');
  await u.find('#summary:not(:has(#decrypt)) .signed-by');
  await u.shot('message-view-decrypted');

  // A signer that is not the sender: red, and the From row names the address that signed.
  await u.quickOpen('sender-mismatch.eml');
  await u.find('#summary.tone-error');
  await u.find('#headers tr.flagged');
  await u.shot('message-view-mismatch');
}

async function rawViews(page, u) {
  await u.quickOpen('signed-detached.eml');
  await u.find('#summary');
  await u.palette('Open Raw Source');
  await page.waitForSelector('.monaco-editor .codelens-decoration a', { timeout: UI_TIMEOUT_MS });
  await u.shot('raw-codelens');

  await u.quickOpen('tampered.eml');
  await u.find('#summary');
  await u.palette('Open Raw Source');
  await page.waitForSelector('.monaco-editor .codelens-decoration a', { timeout: UI_TIMEOUT_MS });
  await u.palette('View: Focus Problems');
  await page.waitForSelector('.markers-panel .monaco-list-row', { timeout: UI_TIMEOUT_MS });
  await u.shot('raw-problems');
}

/** A free port on 127.0.0.1 for the test inbox. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The test inbox: started from the palette, then the demo messages arrive over SMTP as an application sends them. */
async function inboxView(page, u, workspace, port) {
  await u.palette('Start Test Inbox');
  await page.waitForSelector('.statusbar-item[id="smime-tools.smime-eml.smime.testInbox"]', { timeout: UI_TIMEOUT_MS });
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
  for (const name of ['plain', 'encrypted-cbc', 'sender-mismatch', 'expired-signer', 'tampered', 'signed-opaque', 'signed-detached']) {
    const raw = readFileSync(path.join(workspace, 'messages', `${name}.eml`));
    await transport.sendMail({ envelope: { from: 'app@example.com', to: ['dev@example.com'], use8BitMime: true }, raw });
  }
  transport.close();
  await u.palette('View: Hide Panel');
  await u.palette('Focus on Test Inbox View');
  // The inbox gets the side bar: the folder tree folds away and the side bar widens so From fits beside Subject.
  await page.click('.pane-header:has-text("demo")');
  const sidebar = await (await u.find('.part.sidebar')).boundingBox();
  await page.mouse.move(sidebar.x + sidebar.width + 1, 400);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + sidebar.width + 260, 400, { steps: 10 });
  await page.mouse.up();
  await page.waitForSelector('.pane-body .monaco-list-row[aria-label^="Signed (multipart/signed)"]', { timeout: UI_TIMEOUT_MS });
  // Clicking a message opens its message view beside the list.
  await page.click('.pane-body .monaco-list-row[aria-label^="Signed (multipart/signed)"]');
  await u.find('#summary.tone-valid, #summary');
  await u.shot('test-inbox');
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const state = mkdtempSync(path.join(os.tmpdir(), 'smime-screens-'));
  const workspace = path.join(state, 'demo');
  const inboxPort = await freePort();
  let server;
  let browser;
  try {
    demoWorkspace(workspace, inboxPort);
    server = await startCodeServer({ state, testDriver: true, verbose: opts.verbose === 'true', settings: { 'window.commandCenter': false, 'workbench.layoutControl.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden' } });
    browser = await launchChromium(state, { width: 1440, height: 900 });
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (e) => console.error(`[pageerror] ${e.message}`));
    await page.goto(workbenchUrl(server.url, server.port, { folder: workspace, developmentPaths: [root] }));
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 120_000 });
    console.log(`workbench ready (${elapsed()})`);
    const u = ui(page);
    try {
      await messageViews(page, u);
      await u.palette('View: Close All Editors');
      await rawViews(page, u);
      await u.palette('View: Close All Editors');
      await inboxView(page, u, workspace, inboxPort);
    } catch (e) {
      const failure = path.join(os.tmpdir(), 'smime-screenshots-failure.png');
      await page.screenshot({ path: failure }).catch(() => {});
      throw new Error(`${e.message} (the screen at that moment: ${failure})`);
    }
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(state, { recursive: true, force: true });
  }
}

await main();
