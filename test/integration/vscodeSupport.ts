// Shared by the compose and Restricted Mode integration tests: waiting on what the extension reports through its
// test-only commands (smime._test.*), and settings at the workspace or user level.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ScriptedAnswer, ShownPrompt } from '../../src/extension/prompts';
import type { MessageView } from '../../src/shared/protocol';

export const VIEW_TYPE = 'smime.messageEditor';

/** A fresh folder for one suite's files, inside the workspace folder when there is one. */
export function suiteDir(name: string): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? mkdtempSync(join(tmpdir(), 'smime-ws-'));
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeIn(dir: string, name: string, data: Buffer): vscode.Uri {
  const path = join(dir, name);
  writeFileSync(path, data);
  return vscode.Uri.file(path);
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The view model the message editor on `uri` last sent its webview, once it satisfies `accept`. */
export function viewOf(uri: vscode.Uri, accept: (v: MessageView) => boolean = () => true): Promise<MessageView> {
  return waitFor(`the view model of ${uri.fsPath}`, async () => {
    const view = await vscode.commands.executeCommand<MessageView | undefined>('smime._test.viewModel', uri);
    return view && accept(view) ? view : undefined;
  });
}

export async function openEditor(uri: vscode.Uri, accept?: (v: MessageView) => boolean): Promise<MessageView> {
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  return viewOf(uri, accept);
}

/** Sets (or with `undefined` removes) smime.KEY in the workspace settings, or in the user settings. */
export async function setting(key: string, value: unknown, target = vscode.ConfigurationTarget.Workspace): Promise<void> {
  await vscode.workspace.getConfiguration('smime').update(key, value, target);
}

export interface ReportedError {
  what: string;
  message: string;
}

export function lastError(): Thenable<ReportedError | undefined> {
  return vscode.commands.executeCommand<ReportedError | undefined>('smime._test.lastError');
}

/** Queues answers for Encrypt's recipient prompts (undefined: real UI again); resolves to the prompts shown before. */
export function answerPrompts(answers: ScriptedAnswer[] | undefined): Thenable<ShownPrompt[]> {
  return vscode.commands.executeCommand<ShownPrompt[]>('smime._test.answerPrompts', answers);
}

export function closeAllEditors(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
