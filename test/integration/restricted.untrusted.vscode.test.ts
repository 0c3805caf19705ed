// Restricted Mode in a real VS Code: this file runs only in the window the harness starts with workspace trust on
// and the folder never trusted (run-integration-tests.mjs, SMIME_INTEGRATION_MODE=untrusted). Key and trust
// settings are given at the user level, the one level Restricted Mode still reads, so what stops the write
// commands is the trust check itself; the viewer keeps working.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sampleTextEntity, wrapMessage } from '../helpers/mime';
import { TEST_PASSPHRASE } from '../helpers/pki';
import { sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';
import { closeAllEditors, filesIn, lastError, openEditor, setting, suiteDir, viewOf, writeIn } from './vscodeSupport';

const USER = vscode.ConfigurationTarget.Global;
const USER_SETTINGS = ['trust.anchors', 'signing.p12', 'decrypt.p12', 'recipients.folder'];
const REFUSED = /is not available in Restricted Mode|is off in Restricted Mode/;

suite('Restricted Mode (untrusted workspace)', () => {
  let s: SampleMessages;
  let dir: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    s = await sampleMessages();
    dir = suiteDir('restricted-tests');
    const { alice, bob } = s.pki.users;
    await setting('trust.anchors', [s.pki.root.cert], USER);
    await setting('signing.p12', alice.p12, USER);
    await setting('decrypt.p12', bob.p12, USER);
    await setting('recipients.folder', s.pki.dir, USER);
    for (const p12 of [alice.p12, bob.p12]) await vscode.commands.executeCommand('smime._test.storePassphrase', p12, TEST_PASSPHRASE);
  });

  teardown(async () => {
    await closeAllEditors();
  });

  suiteTeardown(async () => {
    for (const key of USER_SETTINGS) await setting(key, undefined, USER);
    await setting('trust.anchors', undefined);
  });

  test('the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('Sign, Encrypt and Sign and Encrypt refuse: nothing is written and the refusal is shown', async () => {
    const draft = writeIn(dir, 'draft.eml', wrapMessage({ from: 'Alice Example <alice@example.com>', to: 'bob@example.com', subject: 'Draft' }, sampleTextEntity()));
    const before = filesIn(dir);
    for (const command of ['smime.sign', 'smime.encrypt', 'smime.signAndEncrypt']) {
      const target = await vscode.commands.executeCommand<vscode.Uri | undefined>(command, draft);
      assert.equal(target, undefined, command);
      assert.deepEqual(filesIn(dir), before, `${command} wrote nothing`);
      assert.match((await lastError())?.message ?? '(no error shown)', REFUSED, command);
    }
  });

  test('the message view opens and verifies: valid with user-level anchors, invalid when tampered', async () => {
    const valid = await openEditor(writeIn(dir, 'valid.eml', s.valid));
    assert.equal(valid.trustedWorkspace, false);
    assert.equal(valid.summary.verdict, 'valid');
    assert.ok(valid.layers[0].signers[0].checks.every((c) => c.status === 'pass' || c.id === 'revocation'));
    const tampered = await openEditor(writeIn(dir, 'tampered.eml', s.tampered));
    assert.equal(tampered.summary.verdict, 'invalid');
  });

  test('trust anchors from the workspace settings are ignored until the workspace is trusted', async () => {
    const uri = writeIn(dir, 'anchors.eml', s.valid);
    await openEditor(uri, (v) => v.summary.verdict === 'valid');
    await setting('trust.anchors', [s.pki.root.cert]);
    await setting('trust.anchors', undefined, USER);
    const view = await viewOf(uri, (v) => v.summary.verdict !== 'valid');
    assert.equal(view.summary.verdict, 'untrusted');
    await setting('trust.anchors', undefined);
    await setting('trust.anchors', [s.pki.root.cert], USER);
  });

  test('Decrypt is refused: the message stays locked and nothing is written', async () => {
    const uri = writeIn(dir, 'encrypted.eml', s.encrypted);
    assert.equal((await openEditor(uri)).decryptState, 'locked');
    const before = filesIn(dir);
    await vscode.commands.executeCommand('smime.decrypt', uri);
    assert.match((await lastError())?.message ?? '(no error shown)', REFUSED);
    assert.equal((await viewOf(uri)).decryptState, 'locked');
    assert.deepEqual(filesIn(dir), before);
  });
});
