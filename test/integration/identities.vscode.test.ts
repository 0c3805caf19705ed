// Decryption with several identities, a locked key and automatic decryption, in a real VS Code: the message is
// encrypted to bob; smime.decrypt.p12 is alice's (not a recipient) and bob's PKCS#12 is a further identity.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { TEST_PASSPHRASE } from '../helpers/pki';
import { sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';
import { answerPrompts, closeAllEditors, openEditor, setting, suiteDir, viewOf, writeIn } from './vscodeSupport';

let s: SampleMessages;
let dir: string;

suite('decryption identities', () => {
  suiteSetup(async function () {
    this.timeout(120_000);
    s = await sampleMessages();
    dir = suiteDir('identities');
    const recipients = join(dir, 'recipients');
    mkdirSync(recipients, { recursive: true });
    copyFileSync(s.pki.users.bob.cert, join(recipients, 'bob@example.com.pem'));
    await setting('recipients.folder', recipients);
  });

  suiteTeardown(async () => {
    for (const key of ['decrypt.p12', 'decrypt.identities', 'decrypt.automatically', 'recipients.folder']) await setting(key, undefined);
    await closeAllEditors();
  });

  test('a locked key says "Key locked: enter passphrase"; once unlocked the message decrypts by itself, with the second identity', async function () {
    this.timeout(60_000);
    const { alice, bob } = s.pki.users;
    for (const file of [alice.p12, bob.p12]) await vscode.commands.executeCommand('smime.forgetKeyPassphrase', file);
    await setting('decrypt.p12', alice.p12);
    await setting('decrypt.identities', [{ p12: bob.p12 }]);
    const uri = writeIn(dir, 'to-bob.eml', s.encrypted);
    const locked = await openEditor(uri, (v) => v.decryptState === 'keyLocked');
    assert.equal(locked.summary.title, 'Key locked: enter passphrase');
    assert.match(locked.summary.detail, /alice\.p12, bob\.p12/);
    const shown = JSON.stringify(locked);
    assert.doesNotMatch(shown, /no key was supplied/);
    // The recipient is named by the address of the certificate in the recipients folder, once.
    assert.match(shown, /encrypted for bob@example\.com"/);
    // Alice's passphrase first: her key is not a recipient, bob's is still locked.
    await vscode.commands.executeCommand('smime._test.storePassphrase', alice.p12, TEST_PASSPHRASE);
    const stillLocked = await viewOf(uri, (v) => v.decryptState === 'keyLocked' && !/alice\.p12/.test(v.summary.detail));
    assert.match(stillLocked.summary.detail, /bob\.p12/);
    await vscode.commands.executeCommand('smime._test.storePassphrase', bob.p12, TEST_PASSPHRASE);
    const open = await viewOf(uri, (v) => v.decryptState === 'decrypted');
    assert.ok(open.bodies.some((b) => b.kind === 'text' && b.text.includes('Grüße aus Köln')));
  });

  test('the raw view says "Key locked" on the encrypted part and unlocks that key; the part then opens', async function () {
    this.timeout(60_000);
    const { alice, bob } = s.pki.users;
    for (const file of [alice.p12, bob.p12]) await vscode.commands.executeCommand('smime.forgetKeyPassphrase', file);
    await setting('decrypt.p12', undefined);
    await setting('decrypt.identities', [{ p12: bob.p12 }]);
    const uri = writeIn(dir, 'to-bob-raw.eml', s.encrypted);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const titles = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).map((l) => l.command);
    const deadline = Date.now() + 20_000;
    let lenses = await titles();
    while (!lenses.some((c) => c?.title.startsWith('Key locked')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      lenses = await titles();
    }
    const lock = lenses.find((c) => c?.title.startsWith('Key locked'));
    assert.ok(lock, `a Key locked lens among: ${lenses.map((c) => c?.title).join(' | ')}`);
    assert.equal(lock.title, 'Key locked: enter passphrase (bob.p12)');
    assert.equal(lock.command, 'smime.setKeyPassphrase');
    assert.deepEqual(lock.arguments, [bob.p12]);
    // What Set Key Passphrase stores once the password box is answered (the box itself cannot be driven here).
    await vscode.commands.executeCommand('smime._test.storePassphrase', lock.arguments?.[0], TEST_PASSPHRASE);
    const after = Date.now() + 20_000;
    while (!lenses.some((c) => c?.title === 'Open decrypted content') && Date.now() < after) {
      await new Promise((r) => setTimeout(r, 200));
      lenses = await titles();
    }
    assert.ok(lenses.some((c) => c?.title === 'Open decrypted content'), lenses.map((c) => c?.title).join(' | '));
    assert.ok(!lenses.some((c) => c?.title.startsWith('Key locked')));
    await closeAllEditors();
  });

  test('with smime.decrypt.automatically off, nothing is decrypted until asked', async function () {
    this.timeout(60_000);
    await setting('decrypt.automatically', false);
    const uri = writeIn(dir, 'to-bob-manual.eml', s.encrypted);
    const view = await openEditor(uri);
    assert.equal(view.decryptState, 'locked');
    await vscode.commands.executeCommand('smime.decrypt', uri);
    await viewOf(uri, (v) => v.decryptState === 'decrypted');
  });

  test('Choose Key File writes the user settings and leaves the workspace settings alone', async function () {
    this.timeout(30_000);
    const file = s.pki.users.bob.p12;
    await setting('decrypt.p12', undefined);
    await answerPrompts([{ file }]);
    try {
      await vscode.commands.executeCommand('smime.chooseKeyFile', 'smime.decrypt');
      const shown = await answerPrompts([]);
      assert.deepEqual(shown.map((p) => p.kind), ['openFile']);
      const inspected = vscode.workspace.getConfiguration('smime').inspect('decrypt.p12');
      assert.equal(inspected?.globalValue, file);
      assert.equal(inspected?.workspaceValue, undefined);
    } finally {
      await answerPrompts(undefined);
      await setting('decrypt.p12', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
