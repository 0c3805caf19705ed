// Create Test Identity end to end in a real VS Code: the demo PKI is written into the workspace, the workspace
// settings point at it, its passphrase is in SecretStorage, and the sample messages then verify and decrypt with
// no prompt. Save Signer Certificate as Recipient writes the signer's certificate where Encrypt looks for it.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MessageView } from '../../src/shared/protocol';

const VIEW_TYPE = 'smime.messageEditor';
const FOLDER = 'demo-identity';
const SETTINGS = ['signing.p12', 'decrypt.p12', 'trust.anchors', 'recipients.folder'];

async function viewOf(uri: vscode.Uri, accept: (v: MessageView) => boolean): Promise<MessageView> {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const view = await vscode.commands.executeCommand<MessageView | undefined>('smime._test.viewModel', uri);
    if (view && accept(view)) return view;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for the view of ${uri.fsPath}`);
}

suite('message editor: test identity', () => {
  let root: vscode.Uri;

  suiteSetup(function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) this.skip();
    root = (folder as vscode.WorkspaceFolder).uri;
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  suiteTeardown(async () => {
    const config = vscode.workspace.getConfiguration('smime');
    for (const key of SETTINGS) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    if (root) rmSync(join(root.fsPath, FOLDER), { recursive: true, force: true });
  });

  test('Create Test Identity writes the demo PKI and settings; its messages verify and decrypt without a prompt', async function () {
    this.timeout(120_000);
    // Earlier suites may have left smime.* workspace settings: agree to replace them.
    await vscode.commands.executeCommand('smime._test.answerPrompts', [{ pick: ['Replace Settings'] }]);
    const dir = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.createTestIdentity', FOLDER);
    await vscode.commands.executeCommand('smime._test.answerPrompts', undefined);
    assert.ok(dir, 'the command returned the folder');
    for (const file of ['ca.pem', 'alice.p12', 'bob.p12', 'recipients/bob@example.com.pem', 'messages/signed-detached.eml']) {
      assert.ok(existsSync(join(dir.fsPath, file)), file);
    }
    const config = vscode.workspace.getConfiguration('smime');
    assert.equal(config.get('signing.p12'), `\${workspaceFolder}/${FOLDER}/alice.p12`);
    assert.deepEqual(config.get('trust.anchors'), [`\${workspaceFolder}/${FOLDER}/ca.pem`]);
    const settingsFile = readFileSync(join(root.fsPath, '.vscode', 'settings.json'), 'utf8');
    assert.ok(!/passphrase|"demo"/i.test(settingsFile), 'no passphrase in the settings file');

    const signed = vscode.Uri.joinPath(dir, 'messages', 'signed-detached.eml');
    await vscode.commands.executeCommand('vscode.openWith', signed, VIEW_TYPE);
    assert.equal((await viewOf(signed, () => true)).summary.verdict, 'valid');

    const encrypted = vscode.Uri.joinPath(dir, 'messages', 'encrypted-cbc.eml');
    await vscode.commands.executeCommand('smime.decrypt', encrypted);
    const open = await viewOf(encrypted, (v) => v.decryptState !== 'locked');
    assert.equal(open.decryptState, 'decrypted');
    assert.ok(open.bodies.length > 0);
  });

  test('Save Signer Certificate as Recipient writes ADDRESS.pem into smime.recipients.folder', async () => {
    const signed = vscode.Uri.joinPath(root, FOLDER, 'messages', 'signed-ec.eml');
    const saved = await vscode.commands.executeCommand<string[] | undefined>('smime.saveSignerCertificate', signed);
    assert.ok(saved && saved.length === 1, JSON.stringify(saved));
    assert.match(saved[0], /recipients\/[^/]+@example\.com\.pem$/);
    assert.ok(readFileSync(saved[0], 'latin1').startsWith('-----BEGIN CERTIFICATE-----'));
  });
});
