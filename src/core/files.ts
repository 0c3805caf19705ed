/**
 * How the core reaches files without doing file I/O itself: the front end passes an adapter. The command line
 * implements it over node:fs (cli/nodeFiles.ts), the extension over vscode.workspace.fs (remote and virtual
 * workspaces included). Paths are the front end's strings; the core only joins a folder with a name through
 * the adapter, so it never assumes a path syntax. Everything is async because workspace.fs is.
 */

export type FileKind = 'file' | 'directory';

export interface FileInfo {
  kind: FileKind;
  /** In bytes; lets a loader refuse a file by its size before reading it. */
  size: number;
}

/** Read access: what trust stores, identities and recipient lookups need. */
export interface FileReader {
  /** The whole file. Rejects (with an error whose `code` or message names the cause) when it cannot be read. */
  readFile(path: string): Promise<Buffer>;
  /** The names (not paths) of a folder's entries, in any order. Rejects when the folder cannot be read. */
  readDirectory(path: string): Promise<string[]>;
  /** What `path` is; undefined when nothing is there. Rejects on other errors (permissions). */
  stat(path: string): Promise<FileInfo | undefined>;
  /** The path of `name` inside `folder`, in the front end's path syntax. */
  join(folder: string, name: string): string;
}

/** Read and create access: saving recipient certificates. */
export interface FileWriter extends FileReader {
  /**
   * Writes a file that must not exist yet; rejects when it does (a correspondent's certificate is never replaced
   * behind the user's back). Readers must never see half a file: an implementation writes a temporary file and
   * moves it into place, or uses a file system whose writes are atomic.
   */
  writeNewFile(path: string, data: Buffer): Promise<void>;
}

/** "ENOENT", "FileNotFound", or the message: the short cause put into problems reported as data. */
export function fileErrorCause(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code) return code;
  return e instanceof Error ? e.message : String(e);
}
