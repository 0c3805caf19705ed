/**
 * A file adapter (core/files.ts) over a map of paths to bytes: the core's loaders run against it without a disk.
 * Folders are implied by the paths under them; `sizes` can claim a size without holding the bytes, and
 * `unreadable` makes reads of a path fail, so the loaders' limits and error reporting are tested too.
 */
import { posix } from 'node:path';
import type { FileInfo, FileWriter } from '../../src/core/files';

export class MemoryFiles implements FileWriter {
  readonly files = new Map<string, Buffer>();
  readonly sizes = new Map<string, number>();
  readonly unreadable = new Set<string>();
  /** Empty folders (a folder holding files exists without being listed here). */
  readonly folders = new Set<string>();
  readonly reads: string[] = [];
  /** Called before a new file is written (a test can create the same file there, as a concurrent writer would). */
  beforeWrite?: (path: string) => void;

  constructor(entries: Record<string, Buffer | string> = {}) {
    for (const [path, data] of Object.entries(entries)) this.files.set(path, Buffer.from(data));
  }

  private isFolder(path: string): boolean {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    return this.folders.has(path) || [...this.files.keys()].some((p) => p.startsWith(prefix));
  }

  async readFile(path: string): Promise<Buffer> {
    this.reads.push(path);
    if (this.unreadable.has(path)) throw Object.assign(new Error('denied'), { code: 'NoPermissions' });
    const data = this.files.get(path);
    if (!data) throw Object.assign(new Error(`${path} not found`), { code: this.isFolder(path) ? 'FileIsADirectory' : 'FileNotFound' });
    return data;
  }

  async readDirectory(path: string): Promise<string[]> {
    if (!this.isFolder(path)) throw Object.assign(new Error(`${path} is no folder`), { code: 'FileNotADirectory' });
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = new Set<string>();
    for (const p of this.files.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
    // Deliberately not sorted: the core must not depend on the order a file system lists names in.
    return [...names].reverse();
  }

  async stat(path: string): Promise<FileInfo | undefined> {
    const data = this.files.get(path);
    if (data) return { kind: 'file', size: this.sizes.get(path) ?? data.length };
    return this.isFolder(path) ? { kind: 'directory', size: 0 } : undefined;
  }

  join(folder: string, name: string): string {
    return posix.join(folder, name);
  }

  async writeNewFile(path: string, data: Buffer): Promise<void> {
    this.beforeWrite?.(path);
    if (this.files.has(path)) throw Object.assign(new Error(`${path} exists`), { code: 'FileExists' });
    this.files.set(path, Buffer.from(data));
  }
}
