/**
 * The "Test Inbox" view: the `.eml` files of the inbox folder, newest first, each with its verdict icon and From /
 * Subject. Verdicts come from the same analysis as the message view (configured trust, never a key or a prompt),
 * cached per file and modification time. The folder is read only while the view is shown, and a file watcher
 * (made on first use, so activation stays small) refreshes it.
 */
import * as vscode from 'vscode';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inboxVerdict, type InboxVerdict } from '../../core';
import type { AnalysisService } from '../analysisService';

/** Messages listed: a test run that sends more is looked at with `smime verify`, not in a tree. */
export const MAX_LISTED_MESSAGES = 500;
/** Arrivals within this time are shown together: quick enough to feel live, slow enough not to re-list per message. */
export const REFRESH_DELAY_MS = 150;

export interface InboxEntry {
  file: string;
  uri: vscode.Uri;
  verdict: InboxVerdict;
  from: string;
  subject: string;
  summary: string;
  mtimeMs: number;
}

const ICONS: Record<InboxVerdict, [string, string]> = {
  valid: ['verified-filled', 'testing.iconPassed'],
  invalid: ['error', 'errorForeground'],
  untrusted: ['warning', 'editorWarning.foreground'],
  // A signer who is not the sender is a possible spoof: red like invalid, as in the message view.
  mismatch: ['warning', 'errorForeground'],
  unsigned: ['mail', 'descriptionForeground'],
  encrypted: ['lock', 'charts.blue'],
  error: ['question', 'errorForeground'],
};

function verdictLabel(verdict: InboxVerdict): string {
  switch (verdict) {
    case 'valid':
      return vscode.l10n.t('valid');
    case 'invalid':
      return vscode.l10n.t('invalid');
    case 'untrusted':
      return vscode.l10n.t('untrusted');
    case 'mismatch':
      return vscode.l10n.t('sender mismatch');
    case 'unsigned':
      return vscode.l10n.t('unsigned');
    case 'encrypted':
      return vscode.l10n.t('encrypted');
    default:
      return vscode.l10n.t('unreadable');
  }
}

export class InboxTree implements vscode.TreeDataProvider<InboxEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly cache = new Map<string, InboxEntry>();
  private watcher: vscode.FileSystemWatcher | undefined;
  private watchedFolder: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** The entries of the last listing (for the status bar and the test hooks). */
  entries: InboxEntry[] = [];

  constructor(
    private readonly analysis: AnalysisService,
    private readonly folder: () => string | undefined,
  ) {
    this.disposables.push(this.changed, analysis.onDidChangeAnalysis(() => this.refresh(true)));
  }

  /** Coalesces a burst of arrivals (a test run sending hundreds of messages) into one re-listing. */
  refresh(reanalyse = false): void {
    if (reanalyse) this.cache.clear();
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire();
    }, REFRESH_DELAY_MS);
  }

  private watch(folder: string): void {
    if (this.watchedFolder === folder) return;
    this.watcher?.dispose();
    this.watchedFolder = folder;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '*.eml'));
    const again = () => this.refresh();
    this.watcher.onDidCreate(again);
    this.watcher.onDidDelete(again);
    this.watcher.onDidChange(again);
  }

  getTreeItem(entry: InboxEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(entry.subject || entry.file, vscode.TreeItemCollapsibleState.None);
    item.description = entry.from;
    const [icon, color] = ICONS[entry.verdict];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    item.tooltip = new vscode.MarkdownString(`**${verdictLabel(entry.verdict)}**: ${entry.summary}\n\n${entry.file}`);
    item.resourceUri = entry.uri;
    item.contextValue = 'smime.inboxMessage';
    item.command = { command: 'smime.openMessageView', title: vscode.l10n.t('Open Message View'), arguments: [entry.uri] };
    return item;
  }

  async getChildren(parent?: InboxEntry): Promise<InboxEntry[]> {
    if (parent) return [];
    const folder = this.folder();
    if (!folder) return (this.entries = []);
    this.watch(folder);
    let names: string[];
    try {
      names = (await readdir(folder)).filter((n) => n.endsWith('.eml') && !n.startsWith('.'));
    } catch {
      return (this.entries = []);
    }
    // Names start with the arrival time, so name order is arrival order.
    names.sort().reverse();
    const entries: InboxEntry[] = [];
    for (const name of names.slice(0, MAX_LISTED_MESSAGES)) {
      const entry = await this.entry(join(folder, name), name);
      if (entry) entries.push(entry);
    }
    this.entries = entries;
    return entries;
  }

  private async entry(path: string, file: string): Promise<InboxEntry | undefined> {
    try {
      const { mtimeMs } = await stat(path);
      const cached = this.cache.get(path);
      if (cached && cached.mtimeMs === mtimeMs) return cached;
      const bytes = await readFile(path);
      const uri = vscode.Uri.file(path);
      const { report } = await this.analysis.analyze(uri, bytes, { decrypt: false, interactive: false });
      const entry: InboxEntry = {
        file,
        uri,
        verdict: inboxVerdict(report),
        from: report.message.from.join(', '),
        subject: report.message.subject ?? '',
        summary: report.summary,
        mtimeMs,
      };
      this.cache.set(path, entry);
      return entry;
    } catch {
      // Deleted between listing and reading: it will be gone from the next listing.
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
