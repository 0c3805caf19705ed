/**
 * The prompts the extension waits on: Encrypt's questions about recipients without a certificate (a multi-select
 * list, then a file dialog per checked address), save dialogs, and modal confirmations (trusting a CA,
 * overwriting files). They go through here so the integration tests can answer them: a quick pick, file dialog or
 * modal cannot be driven from the extension host. Answers can only be queued by the test-only commands
 * (commands/testHooks.ts, registered in test mode); with none queued VS Code's own UI is shown.
 */
import * as vscode from 'vscode';

/** What a test answers: the labels to check (or the button to press), a file, or "cancel" (the user pressed Escape). */
export type ScriptedAnswer = { pick: string[] } | { file: string } | 'cancel';

/** A prompt as it would have been shown: its title and the labels of its items. */
export interface ShownPrompt {
  kind: 'pickMany' | 'openFile' | 'saveFile' | 'confirm';
  title: string;
  items: string[];
}

const script = { active: false, answers: [] as ScriptedAnswer[], shown: [] as ShownPrompt[] };

/**
 * Test mode only: answers for the next prompts, in order (a prompt left without one is cancelled, so a test never
 * waits on real UI); `undefined` shows VS Code's UI again. Returns (and forgets) the prompts shown so far.
 */
export function scriptPrompts(answers: ScriptedAnswer[] | undefined): ShownPrompt[] {
  script.active = answers !== undefined;
  script.answers = [...(answers ?? [])];
  return script.shown.splice(0);
}

function scripted(prompt: ShownPrompt): ScriptedAnswer | undefined {
  if (!script.active) return undefined;
  script.shown.push(prompt);
  return script.answers.shift() ?? 'cancel';
}

export async function pickMany<T extends vscode.QuickPickItem>(items: T[], title: string): Promise<T[] | undefined> {
  const answer = scripted({ kind: 'pickMany', title, items: items.map((i) => i.label) });
  if (!answer) return vscode.window.showQuickPick(items, { canPickMany: true, title });
  if (answer === 'cancel' || !('pick' in answer)) return undefined;
  return items.filter((i) => answer.pick.includes(i.label));
}

export async function openFile(title: string, filters: Record<string, string[]>): Promise<vscode.Uri | undefined> {
  const answer = scripted({ kind: 'openFile', title, items: [] });
  if (!answer) return (await vscode.window.showOpenDialog({ canSelectMany: false, title, filters }))?.[0];
  return answer !== 'cancel' && 'file' in answer ? vscode.Uri.file(answer.file) : undefined;
}

export async function saveFile(title: string, defaultUri: vscode.Uri | undefined, filters?: Record<string, string[]>): Promise<vscode.Uri | undefined> {
  const answer = scripted({ kind: 'saveFile', title, items: defaultUri ? [defaultUri.fsPath || defaultUri.toString()] : [] });
  if (!answer) return vscode.window.showSaveDialog({ defaultUri, filters, title, saveLabel: title });
  return answer !== 'cancel' && 'file' in answer ? vscode.Uri.file(answer.file) : undefined;
}

/** A modal warning with one action besides Cancel; true only when that action was chosen. */
export async function confirm(message: string, action: string, detail?: string): Promise<boolean> {
  const answer = scripted({ kind: 'confirm', title: message, items: [action] });
  if (!answer) return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  return answer !== 'cancel' && 'pick' in answer && answer.pick.includes(action);
}
