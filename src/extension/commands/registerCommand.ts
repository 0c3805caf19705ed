/**
 * Every command (and every webview action) runs through here: known errors become a message with buttons that
 * say what to do next; anything else is logged to the output channel (name, message, stack; never secrets) and
 * the user gets a short message pointing there.
 */
import * as vscode from 'vscode';
import { KeyError, ComposeError } from '../../core';
import { describeError, log } from '../log';
import { Cancelled, UserError, type UserAction } from '../userError';

/** Commands the error buttons run; registered in extension.ts. */
export const ACTION_COMMANDS = {
  enterPassphrase: 'smime.setKeyPassphrase',
  chooseFile: 'smime.chooseKeyFile',
} as const;

function actionLabel(action: UserAction): string {
  switch (action) {
    case 'openSettings':
      return vscode.l10n.t('Open Settings');
    case 'chooseFile':
      return vscode.l10n.t('Choose File');
    case 'enterPassphrase':
      return vscode.l10n.t('Enter Passphrase');
    default:
      return vscode.l10n.t('Manage Workspace Trust');
  }
}

async function runAction(action: UserAction, e: UserError): Promise<void> {
  switch (action) {
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', e.setting ?? 'smime');
      return;
    case 'chooseFile':
      await vscode.commands.executeCommand(ACTION_COMMANDS.chooseFile, e.setting);
      return;
    case 'enterPassphrase':
      await vscode.commands.executeCommand(ACTION_COMMANDS.enterPassphrase, e.keyFile);
      return;
    default:
      await vscode.commands.executeCommand('workbench.trust.manage');
  }
}

/** Core errors the user can act on, as UserErrors. */
export function toUserError(e: unknown): UserError | undefined {
  if (e instanceof UserError) return e;
  if (e instanceof ComposeError) {
    const keyProblem = e.problems.some((p) => p.code === 'key-mismatch' || p.code.startsWith('cert-') || p.code.includes('key-usage'));
    return new UserError(e.message, keyProblem ? ['openSettings', 'chooseFile'] : ['openSettings'], keyProblem ? 'smime.signing' : 'smime.recipients');
  }
  if (e instanceof KeyError) return new UserError(e.message, ['openSettings', 'chooseFile']);
  return undefined;
}

export interface ReportedError {
  what: string;
  message: string;
}

/** Who hears of each error shown to the user: nobody, unless the test hooks listen (nothing is kept otherwise). */
const errorListeners = new Set<(reported: ReportedError) => void>();

export function onDidReportError(listener: (reported: ReportedError) => void): vscode.Disposable {
  errorListeners.add(listener);
  return new vscode.Disposable(() => errorListeners.delete(listener));
}

export async function reportError(e: unknown, what: string): Promise<void> {
  if (e instanceof Cancelled) return;
  const known = toUserError(e);
  if (errorListeners.size) {
    const reported = { what, message: known?.message ?? describeError(e).split('\n')[0] };
    for (const listener of errorListeners) listener(reported);
  }
  if (known) {
    log().warn(`${what}: ${known.message}`);
    const labels = known.actions.map(actionLabel);
    const picked = await vscode.window.showErrorMessage(known.message, ...labels);
    const action = known.actions[labels.indexOf(picked ?? '')];
    if (action) await runAction(action, known);
    return;
  }
  log().error(`${what} failed: ${describeError(e)}`);
  const show = vscode.l10n.t('Show Log');
  const picked = await vscode.window.showErrorMessage(vscode.l10n.t('{0} failed unexpectedly. The S/MIME log has the details.', what), show);
  if (picked === show) log().show(true);
}

/** Runs `fn`, reporting its errors; resolves to its result or undefined. */
export async function runReported<T>(what: string, fn: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    void reportError(e, what);
    return undefined;
  }
}

export function registerCommand(id: string, title: string, fn: (...args: never[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, (...args: unknown[]) => runReported(title, () => (fn as (...a: unknown[]) => unknown)(...args)));
}
