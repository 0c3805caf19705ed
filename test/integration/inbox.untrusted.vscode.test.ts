// Restricted Mode: the test inbox opens a port and writes into the workspace, and Send Test Message connects out,
// so both are refused in a workspace that is not trusted, with the reason shown, and no port is opened.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { canConnect, freePort, lastError, setting, suiteDir } from './vscodeSupport';

const USER = vscode.ConfigurationTarget.Global;

suite('Test inbox in Restricted Mode', () => {
  let port: number;

  suiteSetup(async () => {
    port = await freePort();
    // At the user level: the one level Restricted Mode still reads, so the refusal comes from the trust check.
    await setting('inbox.port', port, USER);
  });

  suiteTeardown(async () => {
    await setting('inbox.port', undefined, USER);
  });

  test('Start Test Inbox is refused and no port is opened', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const result = await vscode.commands.executeCommand('smime.inbox.start');
    assert.equal(result, undefined);
    assert.match((await lastError())?.message ?? '(no error shown)', /not available in Restricted Mode/);
    assert.equal(await canConnect(port), false);
  });

  test('Send Test Message is refused', async () => {
    const file = join(suiteDir('restricted-inbox'), 'send.eml');
    writeFileSync(file, 'From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\n\r\nx\r\n');
    const result = await vscode.commands.executeCommand('smime.inbox.sendTestMessage', vscode.Uri.file(file));
    assert.equal(result, undefined);
    assert.match((await lastError())?.message ?? '(no error shown)', /not available in Restricted Mode/);
  });
});
