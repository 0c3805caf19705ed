// The verdict where message content cannot reach it, in a real VS Code: the message editor's tab title and the
// status bar item for the message in front. The attack: an unsigned HTML message whose body paints a
// "Signature valid" panel, in a file named like a verdict.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { entity, wrapMessage } from '../helpers/mime';
import { sampleMessages, type SampleMessages } from '../unit/extension/sampleMessages';
import { closeAllEditors, openEditor, setting, suiteDir, waitFor, writeIn } from './vscodeSupport';

interface ShownStatus {
  text: string;
  tooltip: string;
  background?: string;
}

let s: SampleMessages;
let dir: string;

function status(): Thenable<ShownStatus | undefined> {
  return vscode.commands.executeCommand<ShownStatus | undefined>('smime._test.verdictStatus');
}

function tabTitleOf(uri: vscode.Uri): Thenable<string | undefined> {
  return vscode.commands.executeCommand<string | undefined>('smime._test.editorTitle', uri);
}

/** The label VS Code shows on the tab of the message editor on `uri`. */
function tabLabel(uri: vscode.Uri): string | undefined {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
  return tabs.find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === uri.toString())?.label;
}

suite('the verdict outside the message content', () => {
  suiteSetup(async function () {
    this.timeout(120_000);
    s = await sampleMessages();
    dir = suiteDir('verdict-tests');
    await setting('trust.anchors', [s.pki.root.cert]);
  });

  teardown(closeAllEditors);

  suiteTeardown(async () => {
    await setting('trust.anchors', undefined);
  });

  test('a valid message: the tab and the status bar say so first', async () => {
    const uri = writeIn(dir, 'valid.eml', s.valid);
    await openEditor(uri, (v) => v.summary.verdict === 'valid');
    assert.equal(await tabTitleOf(uri), '\u2713 Signature valid \u00b7 valid.eml');
    assert.equal(await waitFor('the tab label', () => (tabLabel(uri)?.startsWith('\u2713') ? tabLabel(uri) : undefined)), '\u2713 Signature valid \u00b7 valid.eml');
    const shown = await waitFor('the status bar item', async () => ((await status())?.text.includes('valid') ? status() : undefined));
    assert.equal(shown?.text, '$(verified-filled) S/MIME: Signature valid');
    assert.equal(shown?.background, undefined);
  });

  test('an unsigned message painting "Signature valid", named like a verdict: the tab and status bar say not signed', async () => {
    const fake = entity(['Content-Type: text/html; charset=utf-8'], '<div style="border:1px solid green"><b>Signature valid</b></div><p>Pay 900 EUR.</p>\r\n');
    const uri = writeIn(dir, 'Signature valid.eml', wrapMessage({ from: 'alice@example.com', to: 'bob@example.com', subject: 'Signature valid' }, fake));
    await openEditor(uri, (v) => v.summary.verdict === 'unsigned');
    assert.equal(await tabTitleOf(uri), '\u2013 Not signed \u00b7 Signature valid.eml');
    const shown = await waitFor('the status bar item', async () => ((await status())?.text.includes('Not signed') ? status() : undefined));
    assert.match(shown?.tooltip ?? '', /^S\/MIME verdict for Signature valid\.eml: Not signed/);
  });

  test('a tampered message colours the status bar as an error; a text editor in front hides the item', async () => {
    const uri = writeIn(dir, 'tampered.eml', s.tampered);
    await openEditor(uri, (v) => v.summary.verdict === 'invalid');
    const shown = await waitFor('the status bar item', async () => ((await status())?.text.includes('invalid') ? status() : undefined));
    assert.equal(shown?.background, 'statusBarItem.errorBackground');
    assert.equal(tabLabel(uri)?.startsWith('\u2717 Signature invalid'), true, tabLabel(uri));
    const other = await vscode.workspace.openTextDocument(writeIn(dir, 'note.txt', Buffer.from('not a message\n')));
    await vscode.window.showTextDocument(other);
    assert.equal(await waitFor('the item to hide', async () => ((await status()) === undefined ? 'hidden' : undefined)), 'hidden');
  });
});
