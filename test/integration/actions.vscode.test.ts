// The message view's buttons that open a dialog or a modal, pressed through the test-only hook as the webview's
// click would, with the dialogs answered through the scripted prompts: Trust this CA (confirmed and cancelled),
// Save Attachment, Export Certificate, and Load remote images (and its refusal for an encrypted message).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ScriptedAnswer } from '../../src/extension/prompts';
import type { HtmlBodyView, MessageView, RunAction } from '../../src/shared/protocol';
import { TEST_PASSPHRASE } from '../helpers/pki';
import { sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';
import { answerPrompts, closeAllEditors, lastError, openEditor, setting, suiteDir, viewOf, waitFor, writeIn } from './vscodeSupport';

let s: SampleMessages;
let dir: string;

function press(uri: vscode.Uri, action: RunAction): Thenable<void> {
  return vscode.commands.executeCommand('smime._test.runAction', uri, action);
}

async function answered(answers: ScriptedAnswer[], run: () => Thenable<void>): Promise<{ kind: string; title: string; items: string[] }[]> {
  await answerPrompts(answers);
  try {
    await run();
  } finally {
    // Back to the real UI; the prompts shown while the answers were queued come back here.
    return answerPrompts(undefined);
  }
}

function htmlBody(view: MessageView): HtmlBodyView {
  const body = view.bodies.find((b): b is HtmlBodyView => b.kind === 'html');
  assert.ok(body, 'an HTML body');
  return body;
}

suite('message view actions with dialogs', () => {
  suiteSetup(async function () {
    this.timeout(120_000);
    s = await sampleMessages();
    dir = suiteDir('action-tests');
  });

  teardown(async () => {
    await answerPrompts(undefined);
    await closeAllEditors();
  });

  suiteTeardown(async () => {
    for (const key of ['trust.anchors', 'decrypt.p12']) await setting(key, undefined);
  });

  test('Trust this CA: cancelled changes nothing; confirmed adds it to smime.trust.anchors and the message turns valid', async () => {
    await setting('trust.anchors', [s.pki.otherRoot.cert]);
    const uri = writeIn(dir, 'untrusted.eml', s.valid);
    const view = await openEditor(uri, (v) => v.summary.verdict === 'untrusted');
    const ca = view.certificates.find((c) => c.role === 'intermediate');
    assert.ok(ca, `a CA certificate in the view: ${view.certificates.map((c) => c.role).join(', ')}`);
    const anchorsDir = join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode', 'smime', 'anchors');

    const cancelled = await answered(['cancel'], () => press(uri, { action: 'trustCertificate', certificateId: ca.id }));
    assert.equal(cancelled.length, 1);
    assert.equal(cancelled[0].kind, 'confirm');
    assert.match(cancelled[0].title, /Trust "Test Intermediate CA" for S\/MIME in this workspace\?/);
    assert.deepEqual(vscode.workspace.getConfiguration('smime').get('trust.anchors'), [s.pki.otherRoot.cert]);

    const confirmed = await answered([{ pick: ['Trust'] }], () => press(uri, { action: 'trustCertificate', certificateId: ca.id }));
    assert.equal(confirmed.length, 1);
    assert.equal(await lastError(), undefined);
    const anchors = vscode.workspace.getConfiguration('smime').get<string[]>('trust.anchors') ?? [];
    assert.equal(anchors.length, 2);
    assert.match(anchors[1], /^\$\{workspaceFolder\}\/\.vscode\/smime\/anchors\/Test Intermediate CA-[0-9A-F]{12}\.pem$/i);
    const saved = join(anchorsDir, anchors[1].split('/').pop()!);
    assert.ok(existsSync(saved), saved);
    assert.match(readFileSync(saved, 'latin1'), /^-----BEGIN CERTIFICATE-----/);
    const trusted = await viewOf(uri, (v) => v.summary.verdict !== 'untrusted');
    assert.equal(trusted.summary.verdict, 'valid');
  });

  test('Save Attachment writes the decoded bytes where the dialog said, under a name without directories', async () => {
    await setting('trust.anchors', [s.pki.root.cert]);
    const uri = writeIn(dir, 'attachment.eml', s.valid);
    const view = await openEditor(uri);
    const attachment = view.attachments.find((a) => a.filename.includes('passwd'));
    assert.ok(attachment);
    const target = join(dir, 'saved-attachment.bin');
    const shown = await answered([{ file: target }], () => press(uri, { action: 'saveAttachment', partId: attachment.partId }));
    assert.equal(shown[0].kind, 'saveFile');
    // The file name the message gives ("../../etc/passwd") is offered without its directories.
    assert.equal(shown[0].items[0], join(dir, 'passwd'));
    assert.equal(readFileSync(target, 'latin1'), 'not really a password file\n');
  });

  test('Save Attachment suggests the same cleaned name from the raw view as from the message view', async () => {
    // A right-to-left override makes "invoice\u202Efdp.exe" read as "invoiceexe.pdf"; both views must defuse it.
    const message = Buffer.from([
      'From: a@example.com', 'Subject: names', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
      '--b', 'Content-Type: text/plain', '', 'see attached', '--b', 'Content-Type: application/octet-stream',
      "Content-Disposition: attachment; filename*=utf-8''..%2Finvoice%E2%80%AEfdp.exe. ", 'Content-Transfer-Encoding: base64', '',
      Buffer.from('payload\n').toString('base64'), '--b--', '',
    ].join('\r\n'), 'latin1');
    const uri = writeIn(dir, 'bidi-name.eml', message);
    const view = await openEditor(uri);
    const attachment = view.attachments[0];
    assert.ok(attachment, 'the message view lists the attachment');
    const fromView = await answered(['cancel'], () => press(uri, { action: 'saveAttachment', partId: attachment.partId }));
    await closeAllEditors();
    const target = join(dir, 'saved-from-raw.bin');
    const fromRaw = await answered([{ file: target }], () => vscode.commands.executeCommand('smime.rawText.saveAttachment', uri, attachment.partId));
    assert.equal(fromView[0].items[0], join(dir, 'invoice_fdp.exe'));
    assert.equal(fromRaw[0].items[0], fromView[0].items[0]);
    assert.equal(readFileSync(target, 'latin1'), 'payload\n');
  });

  test('Export Certificate writes the PEM the dialog named', async () => {
    const uri = writeIn(dir, 'export.eml', s.valid);
    const view = await openEditor(uri);
    const signer = view.certificates.find((c) => c.role === 'signer');
    assert.ok(signer);
    const target = join(dir, 'alice-export.pem');
    await answered([{ file: target }], () => press(uri, { action: 'exportCertificate', certificateId: signer.id }));
    const exported = readFileSync(target, 'latin1');
    assert.match(exported, /^-----BEGIN CERTIFICATE-----\r?\n/);
    assert.equal(exported.replace(/\s+/g, ''), readFileSync(s.pki.users.alice.cert, 'latin1').replace(/\s+/g, ''));
  });

  test('Load remote images: allowed for this signed message only; never for a decrypted one', async () => {
    const uri = writeIn(dir, 'remote.eml', s.valid);
    const before = htmlBody(await openEditor(uri));
    assert.equal(before.remoteAllowed, false);
    assert.ok(before.remoteCount > 0);
    assert.doesNotMatch(before.srcdoc, /https:\/\/evil\.example\/track\.gif/);
    await press(uri, { action: 'loadRemoteContent' });
    const after = htmlBody(await viewOf(uri, (v) => v.bodies.some((b) => b.kind === 'html' && b.remoteAllowed)));
    assert.match(after.srcdoc, /https:\/\/evil\.example\/track\.gif/);
    // The page's CSP admits remote images now, and still no script from the message.
    assert.doesNotMatch(after.srcdoc, /<script>parent\.postMessage/);

    const other = writeIn(dir, 'still-blocked.eml', s.valid);
    assert.equal(htmlBody(await openEditor(other)).remoteAllowed, false, 'the permission is for one message');

    await setting('decrypt.p12', s.pki.users.bob.p12);
    await vscode.commands.executeCommand('smime._test.storePassphrase', s.pki.users.bob.p12, TEST_PASSPHRASE);
    const encrypted = writeIn(dir, 'encrypted-html.eml', s.encryptedHtml);
    // With the key's passphrase remembered it opens decrypted (smime.decrypt.automatically); else Decrypt does it.
    const opened = await openEditor(encrypted, (v) => v.decryptState === 'locked' || v.decryptState === 'decrypted');
    if (opened.decryptState === 'locked') await press(encrypted, { action: 'decrypt' });
    const decrypted = await viewOf(encrypted, (v) => v.decryptState === 'decrypted');
    assert.ok(htmlBody(decrypted).remoteForbidden, 'the view says why remote content is not offered');
    await press(encrypted, { action: 'loadRemoteContent' });
    // A wrongly granted request re-renders the page within a second or two: watch for it for five.
    const granted = await waitFor('remote content in the decrypted view', async () => {
      const view = await vscode.commands.executeCommand<MessageView | undefined>('smime._test.viewModel', encrypted);
      return view && htmlBody(view).remoteAllowed ? view : undefined;
    }, 5000).catch(() => undefined);
    assert.equal(granted, undefined, 'remote content was allowed for decrypted content');
  });
});
