/**
 * A status bar item with the verdict of the message editor in front, hidden when none is. The workbench draws it,
 * so nothing in the message can imitate or cover it (an HTML part can only draw inside its own frame).
 */
import * as vscode from 'vscode';
import type { EditorRegistry } from './editorRegistry';
import { statusBarText, verdictLabel } from './view/verdictLabel';

/** Left of the other extensions' items: the verdict is what the user must not miss. */
const STATUS_BAR_PRIORITY = 1000;

const BACKGROUND_OF_TONE: Record<string, string | undefined> = {
  error: 'statusBarItem.errorBackground',
  warn: 'statusBarItem.warningBackground',
};

export interface ShownVerdict {
  text: string;
  tooltip: string;
  background?: string;
}

export class VerdictStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('smime.verdict', vscode.StatusBarAlignment.Left, STATUS_BAR_PRIORITY);
  private readonly unsubscribe: () => void;
  private shownNow: ShownVerdict | undefined;

  constructor(private readonly registry: EditorRegistry) {
    this.item.name = vscode.l10n.t('S/MIME verdict');
    this.item.command = 'smime.verify';
    this.unsubscribe = registry.onChange(() => this.update());
    this.update();
  }

  update(): void {
    const editor = this.registry.inFront();
    const summary = editor?.view?.summary;
    if (!editor || !summary) {
      this.item.hide();
      this.shownNow = undefined;
      return;
    }
    const label = verdictLabel(summary, vscode.l10n.t);
    const fileName = editor.uri.path.slice(editor.uri.path.lastIndexOf('/') + 1);
    const { text, tooltip } = statusBarText(label, summary, fileName, vscode.l10n.t);
    const background = BACKGROUND_OF_TONE[label.tone];
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = background ? new vscode.ThemeColor(background) : undefined;
    this.item.accessibilityInformation = { label: tooltip, role: 'button' };
    this.item.show();
    this.shownNow = { text, tooltip, ...(background ? { background } : {}) };
  }

  /** What the item shows, or undefined while it is hidden. */
  get shown(): ShownVerdict | undefined {
    return this.shownNow;
  }

  dispose(): void {
    this.unsubscribe();
    this.item.dispose();
  }
}
