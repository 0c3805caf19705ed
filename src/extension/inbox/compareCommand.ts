/**
 * "Compare Messages": a message as signed before sending and the same message after a relay. The report says
 * whether the relay broke the signature and names each change; the canonical signed parts open side by side in
 * VS Code's diff editor when they differ.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { compareMessages, formatCompareReport, type CompareReport } from '../../core';
import { openFile } from '../prompts';
import { Cancelled } from '../userError';

export const COMPARE_SCHEME = 'smime-compare';

/** The canonical signed parts of the last comparisons, served read-only to the diff editor. */
export class CompareDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private next = 0;

  put(name: string, bytes: Buffer): vscode.Uri {
    // latin1: one character per byte, so the diff shows exactly the bytes the signature covers.
    return this.putText(name, bytes.toString('latin1'));
  }

  /** A read-only in-memory document (never an untitled one, which hot exit would back up to disk). */
  putText(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: COMPARE_SCHEME, path: `/${++this.next}/${name}` });
    this.contents.set(uri.toString(), text);
    while (this.contents.size > 8) this.contents.delete(this.contents.keys().next().value as string);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}

export interface CompareOutcome {
  before: string;
  after: string;
  report: CompareReport;
}

export async function compareCommand(docs: CompareDocuments, first: vscode.Uri | undefined, selected: vscode.Uri[] | undefined): Promise<CompareOutcome> {
  let before = first;
  let after: vscode.Uri | undefined;
  if (selected && selected.length === 2) [before, after] = selected;
  if (!before) before = vscode.window.activeTextEditor?.document.uri;
  if (!before) before = await openFile(vscode.l10n.t('The message as sent (before the relay)'), { 'E-mail': ['eml'] });
  if (!before) throw new Cancelled();
  after ??= await openFile(vscode.l10n.t('The same message after the relay'), { 'E-mail': ['eml'] });
  if (!after) throw new Cancelled();
  const [a, b] = await Promise.all([vscode.workspace.fs.readFile(before), vscode.workspace.fs.readFile(after)]);
  const { report, canonical } = compareMessages(Buffer.from(a), Buffer.from(b));
  const text = formatCompareReport(report, { before: before.fsPath, after: after.fsPath });
  const doc = await vscode.workspace.openTextDocument(docs.putText('compare-report.txt', text));
  await vscode.window.showTextDocument(doc, { preview: true });
  if (canonical && !report.signedPartIdentical) {
    const left = docs.put(`before-${basename(before.fsPath)}`, canonical.before);
    const right = docs.put(`after-${basename(after.fsPath)}`, canonical.after);
    await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t('Signed part: before ↔ after the relay'), { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }
  return { before: before.fsPath, after: after.fsPath, report };
}
