/**
 * The core's file access (core/files.ts) over vscode.workspace.fs, so trust stores, keys and recipient folders
 * are read wherever the workspace lives: on disk, on a remote host, or in a virtual file system.
 *
 * Setting paths are strings (settings.ts). In a virtual workspace they are URI paths under the workspace folder
 * (resolved with posix rules) and map back to that folder's URI; every other path is a file on the machine the
 * extension runs on (Uri.file), which in a remote window is the remote host.
 */
import * as vscode from 'vscode';
import * as nativePath from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FileInfo, FileWriter } from '../core';
import type { PathStyle } from './settings';

/** A workspace folder that is not on a disk: its paths are URI paths. */
function virtualFolderOf(path: string): vscode.WorkspaceFolder | undefined {
  let best: vscode.WorkspaceFolder | undefined;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme === 'file') continue;
    const root = folder.uri.path.replace(/\/$/, '');
    const inside = path === root || path.startsWith(`${root}/`) || root === '';
    if (inside && (!best || root.length > best.uri.path.replace(/\/$/, '').length)) best = folder;
  }
  return best;
}

/** The workspace folder setting paths of `uri` resolve against, and how its paths are spelled. */
export function settingsBase(uri?: vscode.Uri): { folder: string | undefined; style: PathStyle } {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) return { folder: undefined, style: 'native' };
  return folder.uri.scheme === 'file' ? { folder: folder.uri.fsPath, style: 'native' } : { folder: folder.uri.path, style: 'posix' };
}

/** The URI of a setting path (see the file comment). */
export function pathUri(path: string): vscode.Uri {
  const folder = virtualFolderOf(path);
  return folder ? folder.uri.with({ path }) : vscode.Uri.file(path);
}

function isNotFound(e: unknown): boolean {
  return e instanceof vscode.FileSystemError && e.code === 'FileNotFound';
}

/** Reads and creates files through vscode.workspace.fs. */
export const workspaceFiles: FileWriter = {
  async readFile(path) {
    const data = await vscode.workspace.fs.readFile(pathUri(path));
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  },

  async readDirectory(path) {
    return (await vscode.workspace.fs.readDirectory(pathUri(path))).map(([name]) => name);
  },

  async stat(path): Promise<FileInfo | undefined> {
    try {
      const info = await vscode.workspace.fs.stat(pathUri(path));
      // A symbolic link carries the type of what it points to as well (FileType is a bit set).
      return { kind: info.type & vscode.FileType.Directory ? 'directory' : 'file', size: info.size };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  },

  join(folder, name) {
    return virtualFolderOf(folder) ? nativePath.posix.join(folder, name) : nativePath.join(folder, name);
  },

  async writeNewFile(path, data) {
    await writeNewUri(pathUri(path), data);
  },
};

/**
 * Creates `target` with `data`: a temporary file beside it, then a rename that refuses to replace. Readers never
 * see half a file, and an existing file (even one created a moment ago) is never overwritten: rejects with a
 * FileSystemError "FileExists" instead.
 */
export async function writeNewUri(target: vscode.Uri, data: Uint8Array): Promise<void> {
  const name = target.path.slice(target.path.lastIndexOf('/') + 1);
  const temp = vscode.Uri.joinPath(target, '..', `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  await vscode.workspace.fs.writeFile(temp, data);
  try {
    await vscode.workspace.fs.rename(temp, target, { overwrite: false });
  } catch (e) {
    await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
    throw e;
  }
}

/** The setting path of a URI: the inverse of pathUri (a virtual workspace's files are named by their URI path). */
export function settingPath(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.path;
}
