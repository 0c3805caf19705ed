/**
 * Commands for the integration tests only (registered when the extension runs in test mode or SMIME_TEST=1, see
 * extension.ts; their ids are listed in entry/contributions.ts): they read what the webview was sent and what the user was shown (never anything neither could see), and answer
 * the prompts the host UI would otherwise wait on.
 */
import * as vscode from 'vscode';
import type { AnalysisService } from '../analysisService';
import type { EditorRegistry, OpenEditor } from '../editorRegistry';
import type { MessageView, RunAction } from '../../shared/protocol';
import type { VerdictStatusBar } from '../verdictStatusBar';
import { scriptPrompts, type ScriptedAnswer } from '../prompts';
import { onDidReportError, type ReportedError } from './registerCommand';

export function registerTestHooks(registry: EditorRegistry, analysis: AnalysisService, verdictBar: VerdictStatusBar): vscode.Disposable {
  // What the webviews were sent, kept here rather than on the editors: only these hooks read it.
  let lastView: { uri: string; view: MessageView } | undefined;
  const posted = new WeakMap<OpenEditor, MessageView>();
  const stopListening = registry.onDidPost((editor, view) => {
    posted.set(editor, view);
    lastView = { uri: editor.uri.toString(), view };
  });
  let lastError: ReportedError | undefined;
  return vscode.Disposable.from(
    { dispose: stopListening },
    onDidReportError((reported) => (lastError = reported)),
    /** The last view model any message editor posted: { uri, view }. */
    vscode.commands.registerCommand('smime._test.lastViewModel', () => lastView),
    /** The view model the webview of the editor open on `uri` was last sent (undefined until it said 'ready'). */
    vscode.commands.registerCommand('smime._test.viewModel', (uri: vscode.Uri) => {
      const editor = registry.forUri(uri);
      return editor && posted.get(editor);
    }),
    /** Seeds a passphrase as if the user had typed it (SecretStorage); open editors re-analyse, as after Set Key Passphrase. */
    vscode.commands.registerCommand('smime._test.storePassphrase', async (file: string, passphrase: string) => {
      await analysis.keys.store(file, passphrase);
      analysis.invalidate('keys');
    }),
    /** Re-analyses every open editor and waits for it. */
    vscode.commands.registerCommand('smime._test.refresh', async (uri: vscode.Uri) => registry.forUri(uri)?.refresh()),
    /** The last error a command showed the user ({ what, message }) since the previous call, then forgets it. */
    vscode.commands.registerCommand('smime._test.lastError', () => {
      const taken = lastError;
      lastError = undefined;
      return taken;
    }),
    /** Answers the next prompts, dialogs and modals (undefined: show the real UI); returns the prompts shown so far. */
    vscode.commands.registerCommand('smime._test.answerPrompts', (answers: ScriptedAnswer[] | undefined) => scriptPrompts(answers)),
    /** Presses a button of the webview of the editor open on `uri`, as its click would (RunAction of protocol.ts). */
    vscode.commands.registerCommand('smime._test.runAction', async (uri: vscode.Uri, action: RunAction) => registry.forUri(uri)?.run(action)),
    /** The verdict status bar item's text, tooltip and background, or undefined while it is hidden. */
    vscode.commands.registerCommand('smime._test.verdictStatus', () => verdictBar.shown),
    /** The tab title of the message editor open on `uri`. */
    vscode.commands.registerCommand('smime._test.editorTitle', (uri: vscode.Uri) => registry.forUri(uri)?.panel.title),
  );
}
