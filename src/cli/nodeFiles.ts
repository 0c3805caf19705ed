/**
 * The command line's file access for the core (core/files.ts) over node:fs. The calls are synchronous inside
 * async functions: a command reads a handful of small files before its one job, and a round trip through the
 * libuv thread pool per file would only add latency.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInfo, FileWriter } from '../core';
import { writeNewFile } from './atomicWrite';

function statOf(path: string): FileInfo | undefined {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return undefined;
  return { kind: s.isDirectory() ? 'directory' : 'file', size: s.size };
}

export const nodeFiles: FileWriter = {
  readFile: async (path) => readFileSync(path),
  readDirectory: async (path) => readdirSync(path),
  stat: async (path) => statOf(path),
  join: (folder, name) => join(folder, name),
  writeNewFile: async (path, data) => writeNewFile(path, data),
};
