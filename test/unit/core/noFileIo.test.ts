/**
 * The core does no file I/O: trust stores, identities, recipient folders and saved certificates go through the
 * file adapter a front end passes in (core/files.ts), so the extension can read through vscode.workspace.fs
 * (remote and virtual workspaces) and the command line through node:fs. This scans every core source file for a
 * file system module, imported, required or loaded lazily.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const CORE = join(process.cwd(), 'src', 'core');

/** `from 'fs'`, `require("node:fs")`, `import('fs/promises')`, `from 'node:fs/promises'`. */
const FILE_SYSTEM_MODULE = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"](?:node:)?fs(?:\/promises)?['"]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|cjs|mjs)$/.test(name) ? [path] : [];
  });
}

function fileSystemImports(files: string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (FILE_SYSTEM_MODULE.test(line) ? [`${relative(process.cwd(), file)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

test('the pattern finds every way of loading a file system module, and nothing else', () => {
  for (const line of ["import { readFileSync } from 'node:fs';", 'import * as fs from "fs";', "import { readFile } from 'node:fs/promises';", "const fs = require('fs');", "await import('fs/promises')"]) {
    assert.ok(FILE_SYSTEM_MODULE.test(line), line);
  }
  for (const line of ["import { join } from 'node:path';", "import { createHash } from 'node:crypto';", "import { fsPath } from './fs-like';", "const offs = 'fs';"]) {
    assert.ok(!FILE_SYSTEM_MODULE.test(line), line);
  }
});

test('no file in src/core loads node:fs', () => {
  const files = sourceFiles(CORE);
  assert.ok(files.length > 50, `expected the core's sources under ${CORE}`);
  assert.deepEqual(fileSystemImports(files), []);
});
