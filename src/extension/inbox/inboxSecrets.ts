/**
 * SMTP passwords in SecretStorage (the OS keychain where there is one): the test inbox's AUTH password and one per
 * outgoing server account. Asked for with a password box, never logged or written to settings.
 */
import * as vscode from 'vscode';
import { Cancelled } from '../userError';

const INBOX_KEY = 'smime.inbox.password';
const sendKey = (user: string, host: string, port: number) => `smime.send.password:${user}@${host}:${port}`;

async function askAndStore(secrets: vscode.SecretStorage, key: string, prompt: string): Promise<string> {
  const known = await secrets.get(key);
  if (known !== undefined) return known;
  const entered = await vscode.window.showInputBox({ prompt, password: true, ignoreFocusOut: true });
  if (entered === undefined) throw new Cancelled();
  await secrets.store(key, entered);
  return entered;
}

export function inboxPassword(secrets: vscode.SecretStorage, user: string): Promise<string> {
  return askAndStore(secrets, INBOX_KEY, vscode.l10n.t('Password the test inbox requires from {0} (AUTH)', user));
}

export function storeInboxPassword(secrets: vscode.SecretStorage, password: string): Thenable<void> {
  return secrets.store(INBOX_KEY, password);
}

export function forgetInboxPassword(secrets: vscode.SecretStorage): Thenable<void> {
  return secrets.delete(INBOX_KEY);
}

export function sendPassword(secrets: vscode.SecretStorage, user: string, host: string, port: number): Promise<string> {
  return askAndStore(secrets, sendKey(user, host, port), vscode.l10n.t('SMTP password of {0} on {1}:{2}', user, host, String(port)));
}

export function forgetSendPassword(secrets: vscode.SecretStorage, user: string, host: string, port: number): Thenable<void> {
  return secrets.delete(sendKey(user, host, port));
}

/** Whether a password is kept for the test inbox or the given account (so "forget" can say what it removed). */
export async function hasInboxPassword(secrets: vscode.SecretStorage): Promise<boolean> {
  return (await secrets.get(INBOX_KEY)) !== undefined;
}

export async function hasSendPassword(secrets: vscode.SecretStorage, user: string, host: string, port: number): Promise<boolean> {
  return (await secrets.get(sendKey(user, host, port))) !== undefined;
}
