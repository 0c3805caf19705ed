// Sign and Encrypt and the recipient prompts of Encrypt in a real VS Code. What the commands write is read back by
// the core (analyzeMessage with the recipient's key) and by OpenSSL (cms -decrypt, then cms -verify of the entity
// inside). The quick pick and file dialog for recipients without a certificate are answered through a test hook.
import * as assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { analyzeMessage } from '../../src/core/smime/analyze';
import { sampleTextEntity, wrapMessage } from '../helpers/mime';
import { opensslDecrypt, opensslVerify } from '../helpers/openssl';
import { TEST_PASSPHRASE, type TestIdentity, type TestPki } from '../helpers/pki';
import { sampleMessages } from '../unit/extension/sampleMessages';
import { answerPrompts, closeAllEditors, filesIn, lastError, setting, suiteDir, viewOf, writeIn } from './vscodeSupport';
import { certificatesIn } from '../helpers/certFiles';

const SETTINGS = ['signing.p12', 'decrypt.p12', 'recipients.folder', 'trust.anchors'];
const ALICE = 'Alice Example <alice@example.com>';
const CAROL = 'carol@example.com';

suite('compose commands', () => {
  let pki: TestPki;
  let dir: string;
  let recipients: string;

  function draft(name: string, to: string, text: string): vscode.Uri {
    return writeIn(dir, name, wrapMessage({ from: ALICE, to, subject: name }, sampleTextEntity(text)));
  }

  function keyOf(id: TestIdentity) {
    return { privateKey: createPrivateKey(readFileSync(id.key)), certificate: certificatesIn([id.cert]).certs[0] };
  }

  suiteSetup(async function () {
    this.timeout(120_000);
    pki = (await sampleMessages()).pki;
    dir = suiteDir('compose-tests');
    recipients = join(dir, 'recipients');
    mkdirSync(recipients, { recursive: true });
    copyFileSync(pki.users.bob.cert, join(recipients, 'bob@example.com.pem'));
    const { alice, bob } = pki.users;
    await setting('trust.anchors', [pki.root.cert]);
    await setting('signing.p12', alice.p12);
    await setting('decrypt.p12', bob.p12);
    await setting('recipients.folder', recipients);
    for (const p12 of [alice.p12, bob.p12]) await vscode.commands.executeCommand('smime._test.storePassphrase', p12, TEST_PASSPHRASE);
  });

  teardown(async () => {
    await answerPrompts(undefined);
    await closeAllEditors();
  });

  suiteTeardown(async () => {
    for (const key of SETTINGS) await setting(key, undefined);
  });

  test('Sign and Encrypt: the core finds the result valid once decrypted; openssl decrypts it and verifies the entity inside', async () => {
    const uri = draft('both.eml', 'Bob Example <bob@example.com>', 'Signed and sealed: 42');
    const target = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.signAndEncrypt', uri);
    assert.ok(target, `no output file; error: ${JSON.stringify(await lastError())}`);
    assert.equal(target.fsPath, join(dir, 'both.signed-encrypted.eml'));
    const message = readFileSync(target.fsPath);

    const anchors = certificatesIn([pki.root.cert]).certs;
    const core = analyzeMessage(message, { anchors, keys: [keyOf(pki.users.bob)] });
    assert.equal(core.report.verdict, 'valid', core.report.summary);
    assert.deepEqual(core.report.layers.map((l) => [l.kind, l.kind === 'signed' || l.status === 'decrypted']), [['enveloped', true], ['signed', true]]);
    assert.equal(core.report.layers[1].kind === 'signed' && core.report.layers[1].signers[0]?.status, 'valid');
    assert.notEqual(analyzeMessage(message, { anchors }).report.layers[0].status, 'decrypted', 'without the key nothing is read');

    const inner = opensslDecrypt(pki, message, pki.users.bob);
    assert.ok(inner.ok, inner.stderr);
    const verified = opensslVerify(pki, inner.output);
    assert.ok(verified.ok, verified.stderr);
    assert.ok(verified.output.toString('latin1').includes('Signed and sealed: 42'));
    // The sender's own copy (smime.encrypt.toSelf) opens with Alice's key.
    assert.ok(opensslDecrypt(pki, message, pki.users.alice).ok, 'the sender can decrypt her copy');

    await vscode.commands.executeCommand('smime.decrypt', target);
    const view = await viewOf(target, (v) => v.decryptState === 'decrypted');
    assert.equal(view.summary.verdict, 'valid');
  });

  test('Encrypt to an address without a certificate: the prompt names it; cancelled or unchecked, nothing is written', async () => {
    const uri = draft('to-carol.eml', `Carol <${CAROL}>`, 'For Carol');
    const before = filesIn(dir);
    const attempts: { answers: Parameters<typeof answerPrompts>[0]; prompts: string[]; error?: RegExp }[] = [
      { answers: ['cancel'], prompts: ['pickMany'] },
      { answers: [{ pick: [] }], prompts: ['pickMany'], error: new RegExp(`No certificate for ${CAROL}: nothing was encrypted`) },
      { answers: [{ pick: [CAROL] }, 'cancel'], prompts: ['pickMany', 'openFile'] },
    ];
    for (const attempt of attempts) {
      const label = JSON.stringify(attempt.answers);
      await answerPrompts(attempt.answers);
      const target = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.encrypt', uri);
      const shown = await answerPrompts(undefined);
      assert.equal(target, undefined, label);
      assert.deepEqual(filesIn(dir), before, `${label}: no file was written`);
      assert.deepEqual(shown.map((p) => p.kind), attempt.prompts, label);
      assert.deepEqual(shown[0].items, [CAROL], `${label}: the list names the address without a certificate`);
      if (attempt.prompts[1]) assert.equal(shown[1].title, `Certificate for ${CAROL}`);
      const error = await lastError();
      if (attempt.error) assert.match(error?.message ?? '', attempt.error, label);
      else assert.equal(error, undefined, `${label}: a cancelled prompt shows no error`);
    }
  });

  test('Encrypt with a certificate chosen in the file dialog: openssl decrypts the result with its key', async () => {
    const uri = draft('chosen.eml', `Carol <${CAROL}>, Bob Example <bob@example.com>`, 'Chosen: 7');
    await answerPrompts([{ pick: [CAROL] }, { file: pki.users.bobec.cert }]);
    const target = await vscode.commands.executeCommand<vscode.Uri | undefined>('smime.encrypt', uri);
    assert.deepEqual((await answerPrompts(undefined)).map((p) => p.items), [[CAROL], []], 'only Carol was missing');
    assert.ok(target, `no output file; error: ${JSON.stringify(await lastError())}`);
    const message = readFileSync(target.fsPath);
    for (const reader of [pki.users.bobec, pki.users.bob]) {
      const plain = opensslDecrypt(pki, message, reader);
      assert.ok(plain.ok && plain.output.toString('latin1').includes('Chosen: 7'), `${reader.name}: ${plain.stderr}`);
    }
  });
});
