/**
 * The read-only custom editor for .eml (and .p7m/.p7s) files. Read-only on purpose: signing and encrypting
 * write new files, so no undo, redo or backup machinery is needed (and decrypted content is never backed up).
 */
import * as vscode from 'vscode';
import { MessageEditor, type EditorDeps } from './messageEditor';

export const MESSAGE_EDITOR_VIEW_TYPE = 'smime.messageEditor';

export class MessageEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly deps: EditorDeps) {}

  static register(deps: EditorDeps): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(MESSAGE_EDITOR_VIEW_TYPE, new MessageEditorProvider(deps), {
      // The view is rebuilt from the host's snapshot on 'ready'; keeping hidden webviews alive would hold
      // decrypted text in one more process for no gain.
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    new MessageEditor(document.uri, panel, this.deps);
  }
}
