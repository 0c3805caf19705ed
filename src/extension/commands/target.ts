/** Which message a command acts on: its argument, else the message editor in front, else the active text editor. */
import * as vscode from 'vscode';
import type { EditorRegistry } from '../editorRegistry';
import { UserError } from '../userError';

export function targetUri(arg: unknown, registry: EditorRegistry): vscode.Uri {
  if (arg instanceof vscode.Uri) return arg;
  const editor = registry.active();
  if (editor?.panel.active) return editor.uri;
  const text = vscode.window.activeTextEditor?.document;
  if (text && text.uri.scheme !== 'output') return text.uri;
  if (editor) return editor.uri;
  throw new UserError(vscode.l10n.t('Open an .eml file first.'));
}
