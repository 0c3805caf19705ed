/**
 * The open message editors, so commands can act on "the current message", and the view models they send (for
 * whoever listens: the integration tests' hooks read what a webview received).
 */
import type * as vscode from 'vscode';
import type { MessageView, RunAction } from '../shared/protocol';

export interface OpenEditor {
  readonly uri: vscode.Uri;
  readonly panel: vscode.WebviewPanel;
  /** The last view model built (posted once the webview is ready). */
  readonly view: MessageView | undefined;
  decrypt(): Promise<void>;
  reveal(partId: string): void;
  revealCertificate(certificateId: string): void;
  refresh(): Promise<void>;
  run(action: RunAction): Promise<void>;
}

export class EditorRegistry {
  private readonly editors = new Set<OpenEditor>();
  private lastActive: OpenEditor | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly postListeners = new Set<(editor: OpenEditor, view: MessageView) => void>();

  add(editor: OpenEditor): void {
    this.editors.add(editor);
    this.lastActive = editor;
    this.changed();
  }

  remove(editor: OpenEditor): void {
    this.editors.delete(editor);
    if (this.lastActive === editor) this.lastActive = undefined;
    this.changed();
  }

  /** An editor came to the front or went to the back (its panel's view state changed). */
  activated(editor: OpenEditor): void {
    if (editor.panel.active) this.lastActive = editor;
    this.changed();
  }

  /** Calls `listener` whenever an editor opens, closes, changes places or gets a new view model. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells the listeners (an editor's view model changed). */
  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** The message editor in front, and only that one (undefined while a text editor or nothing is in front). */
  inFront(): OpenEditor | undefined {
    for (const e of this.editors) if (e.panel.active) return e;
    return undefined;
  }

  /** The message editor in front, or the last one that was. */
  active(): OpenEditor | undefined {
    for (const e of this.editors) if (e.panel.active) return e;
    return this.lastActive;
  }

  forUri(uri: vscode.Uri): OpenEditor | undefined {
    const id = uri.toString();
    for (const e of this.editors) if (e.uri.toString() === id) return e;
    return undefined;
  }

  /** Calls `listener` with every view model an editor sends to its webview. */
  onDidPost(listener: (editor: OpenEditor, view: MessageView) => void): () => void {
    this.postListeners.add(listener);
    return () => this.postListeners.delete(listener);
  }

  /** An editor sent `view` to its webview. */
  didPost(editor: OpenEditor, view: MessageView): void {
    for (const listener of this.postListeners) listener(editor, view);
  }
}
