// Trust anchors the extension reads through vscode.workspace.fs: a folder in the workspace named relative to it
// (${workspaceFolder}/...), whose files verify a message; a certificate added to that folder, or an anchor file
// whose content is replaced, is picked up by the open message without touching the settings.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';
import { closeAllEditors, openEditor, setting, suiteDir, viewOf, writeIn } from './vscodeSupport';

suite('trust anchor files', () => {
  let s: SampleMessages;
  let dir: string;

  /** The setting value naming `path` relative to the workspace folder, as a shared repository would. */
  function inWorkspace(path: string): string {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the integration tests run with a workspace folder');
    return `\${workspaceFolder}/${relative(root, path).split('\\').join('/')}`;
  }

  suiteSetup(async function () {
    this.timeout(120_000);
    s = await sampleMessages();
    dir = suiteDir('trust-file-tests');
  });

  teardown(closeAllEditors);

  suiteTeardown(async () => {
    await setting('trust.anchors', undefined);
  });

  test('anchors in a workspace folder verify a message; a root added to that folder is picked up by the open message', async () => {
    const anchors = suiteDir('trust-file-tests/anchors');
    writeIn(anchors, 'other.pem', readFileSync(s.pki.otherRoot.cert));
    await setting('trust.anchors', [inWorkspace(anchors)]);
    const uri = writeIn(dir, 'signed.eml', s.valid);
    const before = await openEditor(uri);
    assert.equal(before.summary.verdict, 'untrusted');
    // Written through workspace.fs as another editor would; the settings stay as they are.
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(vscode.Uri.file(anchors), 'root.crt'), readFileSync(s.pki.root.cert));
    const after = await viewOf(uri, (v) => v.summary.verdict === 'valid');
    assert.equal(after.layers[0].signers[0].checks.find((c) => c.id === 'trust-anchor')?.status, 'pass');
  });

  test('an anchor file whose content is replaced: the message turns untrusted, then valid again', async () => {
    const file = writeIn(dir, 'anchor.pem', readFileSync(s.pki.root.cert));
    await setting('trust.anchors', [inWorkspace(file.fsPath)]);
    const uri = writeIn(dir, 'signed-2.eml', s.valid);
    await openEditor(uri, (v) => v.summary.verdict === 'valid');
    await vscode.workspace.fs.writeFile(file, readFileSync(s.pki.otherRoot.cert));
    await viewOf(uri, (v) => v.summary.verdict === 'untrusted');
    await vscode.workspace.fs.writeFile(file, readFileSync(s.pki.root.cert));
    await viewOf(uri, (v) => v.summary.verdict === 'valid');
  });
});
