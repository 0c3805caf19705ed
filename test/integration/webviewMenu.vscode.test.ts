// The message view's context menu on a certificate: VS Code runs the command with the element's
// data-vscode-context, here given as it would be, and the action runs in the editor in front.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { sampleMessages } from '../unit/extension/sampleMessages';
import { answerPrompts, closeAllEditors, openEditor, suiteDir, writeIn } from './vscodeSupport';

suite('message view context menu', () => {
  teardown(async () => {
    await answerPrompts(undefined);
    await closeAllEditors();
  });

  test('Export Certificate as PEM on a certificate writes that certificate', async function () {
    this.timeout(60_000);
    const s = await sampleMessages();
    const dir = suiteDir('context-menu');
    const view = await openEditor(writeIn(dir, 'signed.eml', s.valid));
    const signer = view.certificates.find((c) => c.role === 'signer') ?? view.certificates[0];
    assert.ok(signer, 'the message shows its certificates');
    const target = join(dir, 'exported.pem');
    await answerPrompts([{ file: target }]);
    const context = { webview: 'smime.messageEditor', webviewSection: 'certificate', certificateId: signer.id };
    await vscode.commands.executeCommand('smime.exportCertificatePem', context);
    const shown = await answerPrompts(undefined);
    assert.deepEqual(shown.map((p) => p.kind), ['saveFile']);
    assert.ok(existsSync(target));
    assert.match(readFileSync(target, 'latin1'), /^-----BEGIN CERTIFICATE-----/);
    // Anything but a certificate section does nothing.
    await answerPrompts([]);
    await vscode.commands.executeCommand('smime.exportCertificatePem', { webview: 'smime.messageEditor', webviewSection: 'body' });
    assert.deepEqual(await answerPrompts(undefined), []);
  });
});
