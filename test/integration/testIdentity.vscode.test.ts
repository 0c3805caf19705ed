// Create Test Identity never replaces what the user had without asking: settings that name keys are kept unless
// the user agrees, and a folder that is not empty gives way to a new one beside it.
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { answerPrompts, setting } from './vscodeSupport';

const FOLDER = 'keep-demo';
const MINE = '/home/someone/keys/mine.p12';

suite('Create Test Identity keeps what was there', () => {
  let root: vscode.Uri;

  suiteSetup(function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) this.skip();
    root = (folder as vscode.WorkspaceFolder).uri;
  });

  suiteTeardown(async () => {
    await answerPrompts(undefined);
    for (const key of ['signing.p12', 'decrypt.p12', 'trust.anchors', 'recipients.folder']) await setting(key, undefined);
    if (root) for (const name of [FOLDER, `${FOLDER}-2`]) rmSync(join(root.fsPath, name), { recursive: true, force: true });
  });

  test('existing smime.* settings stay unless replacing is confirmed; a taken folder gives way to NAME-2', async function () {
    this.timeout(120_000);
    await setting('signing.p12', MINE);
    await answerPrompts(['cancel']);
    const first = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.createTestIdentity', FOLDER);
    const asked = await answerPrompts([]);
    assert.ok(first, 'the files were written');
    assert.equal(first.fsPath, join(root.fsPath, FOLDER));
    assert.deepEqual(asked.map((p) => p.kind), ['confirm']);
    assert.match(asked[0].title, /smime\.signing\.p12/);
    assert.equal(vscode.workspace.getConfiguration('smime').get('signing.p12'), MINE, 'the user\'s setting is kept');
    const firstCa = readFileSync(join(first.fsPath, 'ca.pem'), 'latin1');

    await answerPrompts([{ pick: ['Replace Settings'] }]);
    const second = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.createTestIdentity', FOLDER);
    assert.ok(second);
    assert.equal(second.fsPath, join(root.fsPath, `${FOLDER}-2`), 'a new folder beside the taken one');
    assert.equal(readFileSync(join(first.fsPath, 'ca.pem'), 'latin1'), firstCa, 'the first folder was not overwritten');
    assert.equal(vscode.workspace.getConfiguration('smime').get('signing.p12'), `\${workspaceFolder}/${FOLDER}-2/alice.p12`);
  });
});
