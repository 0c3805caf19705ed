/**
 * The command line's file access for the core (core/files.ts) over node:fs. The calls are synchronous inside
 * async functions: a command reads a handful of small files before its one job, and a round trip through the
 * libuv thread pool per file would only add latency.
 */
import { linkSync, readdirSync, readFileSync, renameSync, rmSync, statSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FileInfo, FileWriter } from '../core';
import { writeFileExclusive } from './atomicWrite';

/** File systems without hard links (some network and FAT mounts) answer link(2) with one of these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

function statOf(path: string): FileInfo | undefined {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return undefined;
  return { kind: s.isDirectory() ? 'directory' : 'file', size: s.size };
}

/**
 * Writes a new file that readers see whole or not at all, and never replaces one: a temporary file beside it is
 * given the name with link(2), which fails with EEXIST when the name is taken.
 */
function writeNewFileSync(path: string, data: Buffer): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileExclusive(temp, [data]);
    try {
      linkSync(temp, path);
    } catch (e) {
      if (!NO_HARD_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
      // Without hard links rename is still atomic, but only a check beforehand keeps it from replacing a file.
      if (existsSync(path)) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
      renameSync(temp, path);
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

export const nodeFiles: FileWriter = {
  readFile: async (path) => readFileSync(path),
  readDirectory: async (path) => readdirSync(path),
  stat: async (path) => statOf(path),
  join: (folder, name) => join(folder, name),
  writeNewFile: async (path, data) => writeNewFileSync(path, data),
};
