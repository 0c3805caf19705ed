/**
 * Watches the files and folders trust material was read from (anchors, CRLs, recipient certificates), so a
 * changed anchor file is picked up without reloading the window. A path may be a file or a folder (one level,
 * like the loaders read it), so each gets two non-recursive watchers: the path itself in its parent, and the
 * entries under it. Watchers exist only while the material they guard is cached: the first event drops the
 * cache (and with it these watchers); the next analysis reads the files again and watches anew.
 */
import * as vscode from 'vscode';
import { pathUri } from './workspaceFiles';

export class TrustFileWatch {
  private watchers: vscode.FileSystemWatcher[] = [];

  constructor(private readonly onChange: () => void) {}

  watch(paths: string[]): void {
    for (const path of new Set(paths)) {
      const uri = pathUri(path);
      const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
      if (!name) continue;
      for (const pattern of [new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), name), new vscode.RelativePattern(uri, '*')]) {
        const watcher = vscode.workspace.createFileSystemWatcher(pattern);
        watcher.onDidChange(() => this.onChange());
        watcher.onDidCreate(() => this.onChange());
        watcher.onDidDelete(() => this.onChange());
        this.watchers.push(watcher);
      }
    }
  }

  clear(): void {
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
  }
}
