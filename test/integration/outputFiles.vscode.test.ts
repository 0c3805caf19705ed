// Files the extension writes go through vscode.workspace.fs and never replace what is there: a second Sign of the
// same draft writes NAME.signed-2.eml beside the first output, which keeps its bytes; Save Signer Certificate as
// Recipient keeps a different certificate already saved for that address.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { sampleTextEntity, wrapMessage } from '../helpers/mime';
import { opensslVerify } from '../helpers/openssl';
import { TEST_PASSPHRASE, type TestPki } from '../helpers/pki';
import { sampleMessages } from '../unit/extension/sampleMessages';
import { closeAllEditors, filesIn, lastError, setting, suiteDir, writeIn } from './vscodeSupport';

const SETTINGS = ['signing.p12', 'recipients.folder', 'trust.anchors'];

suite('files the extension writes', () => {
  let pki: TestPki;
  let dir: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    pki = (await sampleMessages()).pki;
    dir = suiteDir('output-file-tests');
    await setting('trust.anchors', [pki.root.cert]);
    await setting('signing.p12', pki.users.alice.p12);
    await vscode.commands.executeCommand('smime._test.storePassphrase', pki.users.alice.p12, TEST_PASSPHRASE);
  });

  teardown(closeAllEditors);

  suiteTeardown(async () => {
    for (const key of SETTINGS) await setting(key, undefined);
  });

  test('signing a draft twice: the first output stays as it was, the second is NAME.signed-2.eml', async () => {
    const uri = writeIn(dir, 'twice.eml', wrapMessage({ from: 'Alice Example <alice@example.com>', to: 'bob@example.com', subject: 'Twice' }, sampleTextEntity('once more')));
    const first = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.sign', uri);
    assert.ok(first, `no output; error: ${JSON.stringify(await lastError())}`);
    const firstBytes = readFileSync(first.fsPath);
    const second = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.sign', uri);
    assert.ok(second, `no second output; error: ${JSON.stringify(await lastError())}`);
    assert.equal(second.fsPath, join(dir, 'twice.signed-2.eml'));
    assert.ok(readFileSync(first.fsPath).equals(firstBytes), 'the first output was not replaced');
    assert.ok(opensslVerify(pki, readFileSync(second.fsPath)).ok);
    assert.deepEqual(filesIn(dir).filter((n) => n.startsWith('.')), [], 'no temporary file is left');
  });

  test('Save Signer Certificate as Recipient keeps a different certificate already saved for the address', async () => {
    const recipients = join(dir, 'recipients');
    mkdirSync(recipients, { recursive: true });
    const held = join(recipients, 'alice@example.com.pem');
    writeFileSync(held, readFileSync(pki.users.mallory.cert));
    await setting('recipients.folder', recipients);
    const signed = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.sign', writeIn(dir, 'harvest.eml', wrapMessage({ from: 'Alice Example <alice@example.com>', to: 'bob@example.com', subject: 'Harvest' }, sampleTextEntity('keep me'))));
    assert.ok(signed);
    const saved = await vscode.commands.executeCommand<string[] | undefined>('smime.saveSignerCertificate', signed);
    assert.deepEqual(saved ?? [], []);
    assert.ok(readFileSync(held).equals(readFileSync(pki.users.mallory.cert)), 'the held certificate is unchanged');
    assert.deepEqual(filesIn(recipients), ['alice@example.com.pem']);
  });
});
