// A ~25 MB signed message in the message editor of a real VS Code: a multipart/mixed (a text part and a ~24 MB
// base64 attachment) signed detached by openssl over the shared test PKI, opened with vscode.openWith. Measured
// from the extension host: when the webview is first sent a view model (the first paint's proxy) and when the
// verified result is there, plus the largest gap of a heartbeat timer meanwhile (is the host still responsive?).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { format } from 'node:util';
import * as vscode from 'vscode';
import type { MessageView } from '../../src/shared/protocol';
import { base64Lines, entity, mixedOf, multipartSigned, sampleTextEntity, wrapMessage } from '../helpers/mime';
import { sharedTestPki, type TestIdentity } from '../helpers/pki';
import { closeAllEditors, setting, suiteDir, VIEW_TYPE, writeIn } from './vscodeSupport';

/** Raw attachment size: base64 in 76-character CRLF lines makes ~24 MB of it, the whole message ~25 MB. */
const ATTACHMENT_BYTES = 17.5 * 1024 * 1024;
/** Generous bounds: they catch a hang or a pathological slowdown, never a slow machine. */
const MAX_FIRST_VIEW_MS = 30_000;
const MAX_VERIFIED_MS = 30_000;
const MAX_HEARTBEAT_GAP_MS = 10_000;
/** How often the test looks at what the webview was sent, and how often the heartbeat ticks. */
const POLL_MS = 5;
const HEARTBEAT_MS = 10;

/** Prints a line where the runner shows it (the remote extension host's console goes nowhere; see index.ts). */
function log(...args: unknown[]): void {
  console.log(...args);
  if (process.env.SMIME_TEST_LOG) appendFileSync(process.env.SMIME_TEST_LOG, format(...args) + '\n');
}

/** A detached signature by `signer` over `content`, made by openssl cms -sign -binary in `work`. */
function opensslDetachedSignature(work: string, signer: TestIdentity, content: Buffer): Buffer {
  const input = join(work, 'content.bin');
  const output = join(work, 'signature.der');
  writeFileSync(input, content);
  const args = ['cms', '-sign', '-binary', '-in', input, '-signer', signer.cert, '-inkey', signer.key, '-md', 'sha256', '-outform', 'DER', '-out', output];
  if (readFileSync(signer.chain, 'utf8').trim()) args.push('-certfile', signer.chain);
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(output);
}

/** Tracks the largest gap between ticks of a short timer: a blocked extension host shows as a long gap. */
function heartbeat(): { stop(): number } {
  let last = performance.now();
  let largest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    largest = Math.max(largest, now - last);
    last = now;
  }, HEARTBEAT_MS);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(largest, performance.now() - last);
    },
  };
}

interface Seen {
  view: MessageView;
  ms: number;
}

/** Polls the test hook until `accept` holds; resolves to that view and the time since `start`. */
async function seen(uri: vscode.Uri, start: number, accept: (v: MessageView) => boolean, timeoutMs: number): Promise<Seen> {
  for (;;) {
    const view = await vscode.commands.executeCommand<MessageView | undefined>('smime._test.viewModel', uri);
    const ms = performance.now() - start;
    if (view && accept(view)) return { view, ms };
    if (ms > timeoutMs) throw new Error(`no matching view model of ${uri.fsPath} after ${ms.toFixed(0)} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

suite('a large signed message', () => {
  let work: string;
  let message: vscode.Uri;
  let size = 0;

  suiteSetup(async function () {
    this.timeout(120_000);
    const pki = await sharedTestPki();
    await setting('trust.anchors', [pki.root.cert]);
    work = mkdtempSync(join(tmpdir(), 'smime-large-'));
    const attachment = entity([
      'Content-Type: application/octet-stream; name="large.bin"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="large.bin"',
    ], base64Lines(randomBytes(ATTACHMENT_BYTES)));
    const content = mixedOf([sampleTextEntity('A large attachment follows.'), attachment]);
    const signed = multipartSigned(content, opensslDetachedSignature(work, pki.users.alice, content), 'sha256');
    const data = wrapMessage({ from: 'Alice Example <alice@example.com>', to: 'Bob Example <bob@example.com>', subject: 'Large attachment' }, signed);
    size = data.length;
    message = writeIn(suiteDir('large-message'), 'large.eml', data);
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    await setting('trust.anchors', undefined);
    if (work) rmSync(work, { recursive: true, force: true });
    if (message) rmSync(message.fsPath, { force: true });
  });

  test('opens with a first view model and the valid verdict in bounded time, the host staying responsive', async function () {
    this.timeout(MAX_VERIFIED_MS + 30_000);
    const beat = heartbeat();
    const start = performance.now();
    let gap: number;
    let first: Seen;
    let verified: Seen;
    try {
      await vscode.commands.executeCommand('vscode.openWith', message, VIEW_TYPE);
      first = await seen(message, start, () => true, MAX_FIRST_VIEW_MS);
      // The same view when it came verified at once: polling again would only add the poll's own delay.
      verified = first.view.summary.verdict === 'valid' ? first : await seen(message, start, (v) => v.summary.verdict === 'valid', MAX_VERIFIED_MS);
    } finally {
      gap = beat.stop();
    }
    const mb = (size / 1e6).toFixed(1);
    const oneStep = first.view.summary.verdict === 'valid' ? ' (one step: the first view model was already verified)' : '';
    log(`[measure] 25 MB message: first view model after ${first.ms.toFixed(0)} ms, verified result after ${verified.ms.toFixed(0)} ms${oneStep}; `
      + `${mb} MB on disk, largest extension-host heartbeat gap ${gap.toFixed(0)} ms`);
    assert.ok(size > 24e6 && size < 28e6, `message size ${size}`);
    assert.equal(verified.view.summary.verdict, 'valid');
    assert.match(verified.view.summary.signedBy[0], /^Signed by Alice Example <alice@example\.com> on /);
    assert.ok(first.ms < MAX_FIRST_VIEW_MS, `first view model after ${first.ms} ms`);
    assert.ok(verified.ms < MAX_VERIFIED_MS, `verified result after ${verified.ms} ms`);
    assert.ok(gap < MAX_HEARTBEAT_GAP_MS, `the extension host was blocked for ${gap} ms`);
  });
});
