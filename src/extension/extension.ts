/** VS Code entry point: wiring only; everything S/MIME lives in src/core. */
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { analyzeMessage } from '../core/smime/analyze';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('smime.verify', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Open an .eml file first.'));
        return;
      }
      const { report } = analyzeMessage(await readFile(target.fsPath));
      void vscode.window.showInformationMessage(`${report.verdict.toUpperCase()}: ${report.summary}`);
    }),
  );
}

export function deactivate(): void {}
