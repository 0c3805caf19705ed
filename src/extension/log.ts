/**
 * The extension's LogOutputChannel. Only what went wrong and where is logged: never a passphrase, a key, or the
 * content of a decrypted message. Error messages from the core name files and reasons, not secrets.
 */
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('S/MIME', { log: true });
  return channel;
}

/** An error for the log: its name, message and stack (stack frames hold file paths, not data). */
export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? `\n${e.stack.split('\n').slice(1, 8).join('\n')}` : ''}`;
  return String(e);
}
