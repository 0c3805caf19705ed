/** Per-file decisions (decrypt requested, remote content allowed): shared by every view of a file, forgotten with the last. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { FileStates } from '../../../src/extension/fileStates';

const uri = (s: string) => ({ toString: () => s }) as unknown as vscode.Uri;

test('a decision holds for every view of the file and ends with the last view', () => {
  const files = new FileStates();
  const a = uri('file:///m/a.eml');
  const messageView = files.hold(a);
  const rawView = files.hold(a);
  assert.equal(files.decryptRequested(a), false);
  files.requestDecrypt(a);
  files.allowRemote(a);
  assert.equal(files.decryptRequested(uri('file:///m/a.eml')), true, 'looked up by the URI, not the object');
  assert.equal(files.remoteAllowed(a), true);
  assert.equal(files.decryptRequested(uri('file:///m/b.eml')), false, 'another file is not affected');
  messageView.dispose();
  messageView.dispose();
  assert.equal(files.decryptRequested(a), true, 'the raw view still holds it (a second dispose counts once)');
  rawView.dispose();
  assert.equal(files.decryptRequested(a), false, 'reopening starts locked');
  assert.equal(files.remoteAllowed(a), false, 'and blocked');
});

test('nothing is remembered for a file no view holds', () => {
  const files = new FileStates();
  const a = uri('file:///m/a.eml');
  files.requestDecrypt(a);
  files.allowRemote(a);
  const view = files.hold(a);
  assert.equal(files.decryptRequested(a), false);
  assert.equal(files.remoteAllowed(a), false);
  view.dispose();
});
