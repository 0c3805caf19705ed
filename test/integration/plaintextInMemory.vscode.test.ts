// Decrypted content never reaches the disk: every way the extension opens message content in a text editor (the
// message view's "Open as Text", the raw view's Decrypt, Open Decrypted Content, Decode) opens
// a read-only in-memory document of the smime-part scheme, never an untitled one (hot exit backs those up to
// disk), and writes nothing beside the message.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { TEST_PASSPHRASE } from '../helpers/pki';
import { sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';
import { closeAllEditors, openEditor, setting, suiteDir, viewOf, waitFor, writeIn } from './vscodeSupport';

const IN_MEMORY_SCHEME = 'smime-part';
/** Decoded text of the encrypted sample (RFC 2047 / quoted-printable decoded, so only the plaintext has it). */
const SECRET = 'Grüße aus Köln';

let s: SampleMessages;
let dir: string;

/** Every open document that holds decrypted text. */
function documentsWithSecret(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((d) => d.getText().includes(SECRET));
}

function assertOnlyInMemory(what: string): void {
  const holding = documentsWithSecret();
  assert.ok(holding.length > 0, `${what}: the decrypted text is open somewhere`);
  for (const d of holding) {
    assert.equal(d.isUntitled, false, `${what}: ${d.uri.toString()} is an untitled document`);
    assert.equal(d.uri.scheme, IN_MEMORY_SCHEME, `${what}: ${d.uri.toString()} is not an in-memory document`);
  }
  assert.deepEqual(vscode.workspace.textDocuments.filter((d) => d.isUntitled).map((d) => d.uri.toString()), [], `${what}: no untitled document at all`);
}

async function activeDocument(what: string, accept: (d: vscode.TextDocument) => boolean): Promise<vscode.TextDocument> {
  return waitFor(what, () => {
    const d = vscode.window.activeTextEditor?.document;
    return d && accept(d) ? d : undefined;
  });
}

suite('decrypted content stays in memory', () => {
  suiteSetup(async function () {
    this.timeout(120_000);
    s = await sampleMessages();
    dir = suiteDir('in-memory-tests');
    await setting('decrypt.p12', s.pki.users.bob.p12);
    await vscode.commands.executeCommand('smime._test.storePassphrase', s.pki.users.bob.p12, TEST_PASSPHRASE);
  });

  teardown(closeAllEditors);

  suiteTeardown(async () => {
    await setting('decrypt.p12', undefined);
  });

  test('"Open as Text" on a decrypted part opens a read-only in-memory document', async () => {
    const uri = writeIn(dir, 'open-as-text.eml', s.encrypted);
    const before = readdirSync(dir).sort();
    // With smime.decrypt.automatically (the default) the stored passphrase opens it at once; else Decrypt does.
    await openEditor(uri, (v) => v.decryptState === 'locked' || v.decryptState === 'decrypted');
    await vscode.commands.executeCommand('smime.decrypt', uri);
    const view = await viewOf(uri, (v) => v.decryptState === 'decrypted');
    const body = view.bodies.find((b) => b.kind === 'text' && b.text.includes(SECRET));
    assert.ok(body, 'the decrypted text is shown');
    await vscode.commands.executeCommand('smime._test.runAction', uri, { action: 'openPartAsText', partId: body.partId });
    const opened = await activeDocument('the part in a text editor', (d) => d.getText().includes(SECRET));
    assert.equal(opened.uri.scheme, IN_MEMORY_SCHEME);
    assertOnlyInMemory('Open as Text');
    assert.equal(opened.isDirty, false);
    assert.deepEqual(readdirSync(dir).sort(), before, 'nothing was written beside the message');
  });

  test('the raw view: Decrypt, Decode of a decrypted part and Open Decrypted Content open in-memory documents only', async () => {
    const uri = writeIn(dir, 'raw-decrypt.eml', s.encrypted);
    const before = readdirSync(dir).sort();
    const raw = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(raw);
    await vscode.commands.executeCommand('smime.rawText.decrypt', uri, '1');
    const decrypted = await activeDocument('the decrypted message', (d) => d.uri.toString() !== uri.toString() && d.languageId === 'eml');
    assert.equal(decrypted.uri.scheme, IN_MEMORY_SCHEME);
    assert.ok(decrypted.getText().includes('Content-Type: text/plain'), decrypted.getText().slice(0, 200));

    // Decoding a part of the decrypted message opens its text, again in memory.
    await vscode.commands.executeCommand('smime.rawText.decodePart', decrypted.uri, '1');
    const decoded = await activeDocument('the decoded part', (d) => d.getText().includes(SECRET));
    assert.equal(decoded.uri.scheme, IN_MEMORY_SCHEME);

    await vscode.commands.executeCommand('smime.rawText.openDecrypted', uri, '1');
    await activeDocument('the decrypted message again', (d) => d.uri.toString() !== decrypted.uri.toString() && d.languageId === 'eml');
    assertOnlyInMemory('raw view');
    assert.deepEqual(readdirSync(dir).sort(), before, 'nothing was written beside the message');
  });
});
