// The message editor in a real VS Code: messages made at test time with openssl are opened with vscode.openWith,
// and the view model each webview was sent (after it said 'ready') is checked through the test-only hook. Sign and
// Encrypt are checked against openssl itself.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MessageView } from '../../src/shared/protocol';
import { sampleTextEntity, wrapMessage } from '../helpers/mime';
import { opensslDecrypt, opensslVerify } from '../helpers/openssl';
import { TEST_PASSPHRASE } from '../helpers/pki';
import { sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';

const VIEW_TYPE = 'smime.messageEditor';
let s: SampleMessages;
let dir: string;

function workspaceDir(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? mkdtempSync(join(tmpdir(), 'smime-ws-'));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function write(name: string, data: Buffer): vscode.Uri {
  const path = join(dir, name);
  writeFileSync(path, data);
  return vscode.Uri.file(path);
}

/** The view model the editor's webview received, once it satisfies `accept`. */
async function viewOf(uri: vscode.Uri, accept: (v: MessageView) => boolean = () => true): Promise<MessageView> {
  return waitFor(`the view model of ${uri.fsPath}`, async () => {
    const view = await vscode.commands.executeCommand<MessageView | undefined>('smime._test.viewModel', uri);
    return view && accept(view) ? view : undefined;
  });
}

async function openEditor(uri: vscode.Uri, accept?: (v: MessageView) => boolean): Promise<MessageView> {
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  return viewOf(uri, accept);
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('smime').update(key, value, vscode.ConfigurationTarget.Workspace);
}

suite('message editor', () => {
  suiteSetup(async function () {
    this.timeout(120_000);
    s = await sampleMessages();
    dir = join(workspaceDir(), 'editor-tests');
    mkdirSync(dir, { recursive: true });
    await setting('trust.anchors', [s.pki.root.cert]);
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  suiteTeardown(async () => {
    for (const key of ['trust.anchors', 'decrypt.p12', 'signing.p12', 'recipients.folder']) await setting(key, undefined);
  });

  test('a valid message: the webview is sent a valid verdict, the signer, the checklist and a sandboxed HTML body', async () => {
    const view = await openEditor(write('valid.eml', s.valid));
    assert.equal(view.summary.verdict, 'valid');
    assert.match(view.summary.signedBy[0], /^Signed by Alice Example <alice@example\.com> on /);
    assert.ok(view.layers[0].signers[0].checks.every((c) => c.status === 'pass' || c.id === 'revocation'));
    const html = view.bodies.find((b) => b.kind === 'html');
    assert.ok(html && html.kind === 'html' && !/evil\.example/.test(html.srcdoc) && html.remoteCount > 0);
    assert.equal(view.trustedWorkspace, true);
  });

  test('a tampered message is invalid with the digest check failed', async () => {
    const view = await openEditor(write('tampered.eml', s.tampered));
    assert.equal(view.summary.verdict, 'invalid');
    assert.equal(view.layers[0].signers[0].checks.find((c) => c.id === 'digest')?.status, 'fail');
  });

  test('changing smime.trust.anchors re-verifies the open message: untrusted, then valid again', async () => {
    const uri = write('retrust.eml', s.valid);
    await openEditor(uri, (v) => v.summary.verdict === 'valid');
    await setting('trust.anchors', [s.pki.otherRoot.cert]);
    const untrusted = await viewOf(uri, (v) => v.summary.verdict !== 'valid');
    assert.equal(untrusted.summary.verdict, 'untrusted');
    assert.equal(untrusted.layers[0].signers[0].checks.find((c) => c.id === 'trust-anchor')?.status, 'fail');
    await setting('trust.anchors', [s.pki.root.cert]);
    await viewOf(uri, (v) => v.summary.verdict === 'valid');
  });

  test('an encrypted message is locked; Decrypt with a passphrase from SecretStorage shows it, in memory only', async () => {
    const uri = write('encrypted.eml', s.encrypted);
    const locked = await openEditor(uri);
    assert.equal(locked.decryptState, 'locked');
    assert.equal(locked.bodies.length, 0);
    await setting('decrypt.p12', s.pki.users.bob.p12);
    await vscode.commands.executeCommand('smime._test.storePassphrase', s.pki.users.bob.p12, TEST_PASSPHRASE);
    const before = readdirSync(dir).sort();
    await vscode.commands.executeCommand('smime.decrypt', uri);
    const open = await viewOf(uri, (v) => v.decryptState === 'decrypted');
    assert.ok(open.bodies.some((b) => b.kind === 'text' && b.text.includes('Grüße aus Köln')));
    assert.equal(open.summary.encryption?.integrityProtected, false);
    assert.deepEqual(readdirSync(dir).sort(), before, 'nothing was written beside the message');
    assert.equal(readFileSync(uri.fsPath).toString('latin1'), s.encrypted.toString('latin1'));
  });

  test('Sign writes NAME.signed.eml that openssl verifies, with Date refreshed to the signing time; the editor shows it valid', async () => {
    await setting('signing.p12', s.pki.users.alice.p12);
    await vscode.commands.executeCommand('smime._test.storePassphrase', s.pki.users.alice.p12, TEST_PASSPHRASE);
    // A draft written long ago: signed as it is, readers would flag a signing time far from Date.
    const written = new Date('2024-01-01T09:00:00Z');
    const draft = wrapMessage({ from: 'Alice Example <alice@example.com>', to: 'bob@example.com', subject: 'To sign', date: written }, sampleTextEntity());
    const uri = write('draft.eml', draft);
    const target = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.sign', uri);
    assert.ok(target, 'the command returned the output file (an error would have been shown instead)');
    assert.equal(target.fsPath, join(dir, 'draft.signed.eml'));
    const signed = readFileSync(target.fsPath);
    const checked = opensslVerify(s.pki, signed);
    assert.ok(checked.ok, checked.stderr);
    const date = /^Date: (.*)\r$/m.exec(signed.toString('latin1'))?.[1] ?? '';
    assert.ok(Math.abs(new Date(date).getTime() - Date.now()) < 10 * 60_000, `Date: ${date}`);
    const view = await viewOf(target, (v) => v.summary.verdict !== undefined);
    assert.equal(view.summary.verdict, 'valid');
    assert.ok(!JSON.stringify(view.summary).includes('signing-time-mismatch'), 'no signing-time warning');
  });

  test('Encrypt finds the recipient in smime.recipients.folder and openssl decrypts the result', async () => {
    const recipients = join(dir, 'recipients');
    mkdirSync(recipients, { recursive: true });
    writeFileSync(join(recipients, 'bob@example.com.pem'), readFileSync(s.pki.users.bob.cert));
    await setting('recipients.folder', recipients);
    await setting('signing.p12', s.pki.users.alice.p12);
    const draft = wrapMessage({ from: 'Alice Example <alice@example.com>', to: 'Bob <bob@example.com>', subject: 'To encrypt' }, sampleTextEntity('Secret: 42'));
    const uri = write('secret.eml', draft);
    const target = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.encrypt', uri);
    assert.ok(target && existsSync(target.fsPath));
    const plain = opensslDecrypt(s.pki, readFileSync(target.fsPath), s.pki.users.bob);
    assert.ok(plain.ok, plain.stderr);
    assert.ok(plain.output.toString('latin1').includes('Secret: 42'));
  });

  test('Show Signer Certificate opens the editor on the message', async () => {
    const uri = write('cert.eml', s.valid);
    await vscode.commands.executeCommand('smime.showSignerCertificate', uri);
    const view = await viewOf(uri);
    assert.ok(view.certificates.some((c) => c.role === 'signer' && c.title === 'Alice Example'));
  });
});
