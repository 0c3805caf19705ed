// The test inbox in a real VS Code: the inbox is started by its command on a free port, messages are sent to it
// with nodemailer as an application would, and the "Test Inbox" view (read through a test-only command, as the
// tree shows it) lists each with the right verdict. Then Send Test Message, Compare Messages and Stop.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createTransport } from 'nodemailer';
import type { CompareReport } from '../../src/core/compare';
import { entity, replaceOnce, sampleTextEntity, wrapMessage } from '../helpers/mime';
import { opensslEncrypted, opensslSigned } from '../helpers/openssl';
import { sharedTestPki, type TestPki } from '../helpers/pki';
import { canConnect, closeAllEditors, freePort, openEditor, setting, suiteDir, waitFor } from './vscodeSupport';

interface InboxState {
  running: boolean;
  host?: string;
  port?: number;
  count?: number;
  folder?: string;
  entries: { file: string; verdict: string; label: string; description: string; icon: string }[];
}

const FOLDER = '.mail-integration';

function state(): Thenable<InboxState> {
  return vscode.commands.executeCommand<InboxState>('smime._test.inboxState');
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

suite('Test inbox', () => {
  let pki: TestPki;
  let port: number;
  let messages: Record<string, Buffer>;

  suiteSetup(async function () {
    this.timeout(120_000);
    pki = await sharedTestPki();
    port = await freePort();
    await setting('inbox.port', port);
    await setting('inbox.folder', FOLDER);
    await setting('trust.anchors', [pki.root.cert]);
    const text = entity(['Content-Type: text/plain; charset=us-ascii'], 'Your order 4711 has shipped.\r\n');
    const alice = { from: 'Alice Example <alice@example.com>', to: 'bob@example.com' };
    const valid = wrapMessage({ ...alice, subject: 'Signed order' }, opensslSigned(pki, pki.users.alice, text));
    messages = {
      valid,
      invalid: replaceOnce(wrapMessage({ ...alice, subject: 'Tampered order' }, opensslSigned(pki, pki.users.alice, text)), 'order 4711', 'order 9711'),
      unsigned: wrapMessage({ ...alice, subject: 'Plain order' }, text),
      encrypted: wrapMessage({ ...alice, subject: 'Encrypted order' }, opensslEncrypted(pki, [pki.users.bob], sampleTextEntity(), { cipher: 'aes256' })),
      mismatch: wrapMessage({ from: 'Carol <carol@example.com>', to: 'bob@example.com', subject: 'Signed by someone else' }, opensslSigned(pki, pki.users.alice, text)),
    };
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('smime.inbox.stop');
    await closeAllEditors();
    for (const key of ['inbox.port', 'inbox.folder', 'trust.anchors']) await setting(key, undefined);
  });

  test('Start Test Inbox listens on 127.0.0.1 at the configured port; the status bar state is running', async () => {
    const started = await vscode.commands.executeCommand<{ host: string; port: number; folder: string }>('smime.inbox.start');
    assert.equal(started.host, '127.0.0.1');
    assert.equal(started.port, port);
    assert.equal(started.folder, join(vscode.workspace.workspaceFolders![0].uri.fsPath, FOLDER));
    const s = await state();
    assert.equal(s.running, true);
    assert.equal(s.count, 0);
  });

  test('messages sent with nodemailer appear in the tree with the right verdicts, saved byte for byte', async () => {
    const transport = createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
    for (const bytes of Object.values(messages)) {
      await transport.sendMail({ envelope: { from: 'app@example.com', to: ['dev@example.com'] }, raw: bytes });
    }
    transport.close();
    const s = await waitFor('five messages in the tree', async () => {
      const current = await state();
      return current.entries.length === 5 ? current : undefined;
    });
    assert.equal(s.count, 5);
    const bySubject = new Map(s.entries.map((e) => [e.label, e]));
    assert.equal(bySubject.get('Signed order')?.verdict, 'valid');
    assert.equal(bySubject.get('Tampered order')?.verdict, 'invalid');
    assert.equal(bySubject.get('Plain order')?.verdict, 'unsigned');
    assert.equal(bySubject.get('Encrypted order')?.verdict, 'encrypted');
    assert.equal(bySubject.get('Signed by someone else')?.verdict, 'mismatch');
    assert.equal(bySubject.get('Signed order')?.description, 'Alice Example <alice@example.com>');
    assert.equal(bySubject.get('Signed order')?.icon, 'verified-filled');
    assert.equal(bySubject.get('Encrypted order')?.icon, 'lock');
    // Newest first: the last one sent is on top.
    assert.equal(s.entries[0].label, 'Signed by someone else');
    const stored = s.entries.map((e) => sha(readFileSync(join(s.folder!, e.file)))).sort();
    assert.deepEqual(stored, Object.values(messages).map(sha).sort());
  });

  test('clicking a message opens the message view with the same verdict', async () => {
    const s = await state();
    const entry = s.entries.find((e) => e.label === 'Signed order')!;
    const uri = vscode.Uri.file(join(s.folder!, entry.file));
    await vscode.commands.executeCommand('smime.openMessageView', uri);
    const view = await openEditor(uri);
    assert.equal(view.summary.verdict, 'valid');
  });

  test('Send Test Message sends the .eml through the test inbox with its bytes kept', async () => {
    const dir = suiteDir('inbox-send');
    const file = join(dir, 'to-send.eml');
    writeFileSync(file, messages.valid);
    const sent = await vscode.commands.executeCommand<{ target: string; response: string } | undefined>('smime.inbox.sendTestMessage', vscode.Uri.file(file));
    assert.ok(sent, 'the command returned nothing (it failed)');
    assert.equal(sent.target, `127.0.0.1:${port}`);
    assert.match(sent.response, /^250/);
    const s = await waitFor('the sent message in the tree', async () => {
      const current = await state();
      return current.count === 6 && current.entries.length === 6 ? current : undefined;
    });
    assert.deepEqual(readFileSync(join(s.folder!, s.entries[0].file)), messages.valid);
    assert.equal(s.entries[0].verdict, 'valid');
  });

  test('Send Test Message from the view\'s context menu: the argument is the entry, its file is sent again', async () => {
    const s = await state();
    const entry = s.entries.find((e) => e.label === 'Plain order')!;
    // VS Code passes the tree element itself to a view/item/context command.
    const sent = await vscode.commands.executeCommand<{ response: string } | undefined>('smime.inbox.sendTestMessage', { uri: vscode.Uri.file(join(s.folder!, entry.file)) });
    assert.match(sent?.response ?? '(send failed)', /^250/);
    const after = await waitFor('the resent message', async () => {
      const current = await state();
      return current.count === 7 ? current : undefined;
    });
    assert.deepEqual(readFileSync(join(after.folder!, after.entries[0].file)), messages.unsigned);
  });

  test('Compare Messages on two selected files: the relay refolded a signed header, which breaks the signature', async () => {
    const dir = suiteDir('inbox-compare');
    const before = join(dir, 'sent.eml');
    const after = join(dir, 'relayed.eml');
    writeFileSync(before, messages.valid);
    writeFileSync(after, Buffer.from(messages.valid.toString('latin1').replace('Content-Type: text/plain; charset=us-ascii', 'Content-Type: text/plain;\r\n charset=us-ascii'), 'latin1'));
    const report = await vscode.commands.executeCommand<CompareReport>('smime.compareMessages', vscode.Uri.file(before), [vscode.Uri.file(before), vscode.Uri.file(after)]);
    assert.equal(report.breaksSignature, true);
    assert.deepEqual(report.rewrites.map((r) => r.kind), ['header-refolded']);
    const reportDoc = vscode.workspace.textDocuments.find((d) => d.getText().includes('The relay broke the signature'));
    assert.ok(reportDoc, 'the report document is open');
  });

  test('with smime.inbox.authUser set, AUTH is required; Send Test Message authenticates with the stored password', async () => {
    await vscode.commands.executeCommand('smime.inbox.stop');
    await setting('inbox.authUser', 'dev');
    await vscode.commands.executeCommand('smime._test.storeInboxPassword', 'inbox-secret');
    try {
      await vscode.commands.executeCommand('smime.inbox.start');
      const anonymous = createTransport({ host: '127.0.0.1', port, ignoreTLS: true });
      await assert.rejects(anonymous.sendMail({ envelope: { from: 'app@example.com', to: ['dev@example.com'] }, raw: messages.unsigned }), /530|auth/i);
      const wrong = createTransport({ host: '127.0.0.1', port, ignoreTLS: true, auth: { user: 'dev', pass: 'nope' } });
      await assert.rejects(wrong.sendMail({ envelope: { from: 'app@example.com', to: ['dev@example.com'] }, raw: messages.unsigned }), /535/);
      const file = join(suiteDir('inbox-auth'), 'auth.eml');
      writeFileSync(file, messages.unsigned);
      const sent = await vscode.commands.executeCommand<{ response: string } | undefined>('smime.inbox.sendTestMessage', vscode.Uri.file(file));
      assert.match(sent?.response ?? '(send failed)', /^250/);
      await waitFor('the authenticated message', async () => ((await state()).count === 1 ? true : undefined));
      // Forget SMTP Passwords removes it from SecretStorage, and says what it removed.
      assert.equal(await vscode.commands.executeCommand('smime._test.hasInboxPassword'), true);
      assert.deepEqual(await vscode.commands.executeCommand('smime.inbox.forgetPasswords'), ['inbox']);
      assert.equal(await vscode.commands.executeCommand('smime._test.hasInboxPassword'), false);
      assert.deepEqual(await vscode.commands.executeCommand('smime.inbox.forgetPasswords'), []);
    } finally {
      await vscode.commands.executeCommand('smime.inbox.stop');
      await setting('inbox.authUser', undefined);
      await vscode.commands.executeCommand('smime.inbox.start');
    }
  });

  test('Stop Test Inbox closes the port; the tree still lists the saved messages', async () => {
    assert.equal(await canConnect(port), true);
    assert.equal(await vscode.commands.executeCommand('smime.inbox.stop'), true);
    const s = await state();
    assert.equal(s.running, false);
    assert.equal(s.entries.length, 8);
    assert.equal(await canConnect(port), false);
  });
});
