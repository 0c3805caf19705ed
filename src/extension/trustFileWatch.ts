/**
 * Watches the files and folders trust material was read from (anchors, CRLs, recipient certificates), so a
 * changed anchor file is picked up without reloading the window. A path may be a file or a folder (one level,
 * like the loaders read it), so each gets two non-recursive watchers: the path itself in its parent, and the
 * entries under it.
 *
 * The watchers of a workspace folder live as long as its configured paths stay the same, through reloads: a
 * write arrives as several events (create, then change), and watchers re-created after the first would miss the
 * rest. Events are settled for SETTLE_MS before the cache is dropped, so a half-written file is not what is read.
 */
import * as vscode from 'vscode';
import { pathUri } from './workspaceFiles';

/** Quiet time after the last event before trust material is re-read: longer than one editor's save takes. */
export const SETTLE_MS = 150;

interface Watched {
  key: string;
  watchers: vscode.FileSystemWatcher[];
}

export class TrustFileWatch implements vscode.Disposable {
  private readonly byFolder = new Map<string, Watched>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly onChange: () => void) {}

  /** Watches `paths` for the workspace folder `folder`; the same paths as before keep their watchers. */
  watch(folder: string, paths: string[]): void {
    const unique = [...new Set(paths)].sort();
    const key = unique.join('\n');
    const current = this.byFolder.get(folder);
    if (current?.key === key) return;
    current?.watchers.forEach((w) => w.dispose());
    const watchers: vscode.FileSystemWatcher[] = [];
    for (const path of unique) {
      const uri = pathUri(path);
      const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
      if (!name) continue;
      for (const pattern of [new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), name), new vscode.RelativePattern(uri, '*')]) {
        const watcher = vscode.workspace.createFileSystemWatcher(pattern);
        watcher.onDidChange(() => this.changed());
        watcher.onDidCreate(() => this.changed());
        watcher.onDidDelete(() => this.changed());
        watchers.push(watcher);
      }
    }
    this.byFolder.set(folder, { key, watchers });
  }

  private changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, SETTLE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const { watchers } of this.byFolder.values()) watchers.forEach((w) => w.dispose());
    this.byFolder.clear();
  }
}
