/**
 * The command line's file adapter over node:fs: what the core's loaders see of files and folders, and the
 * create-only write that saves recipient certificates (whole or not at all, never over an existing file).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFiles } from '../../../src/cli/nodeFiles';
import { fileErrorCause } from '../../../src/core/files';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'smime-node-files-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'a.pem'), 'abc');
  symlinkSync(join(dir, 'sub'), join(dir, 'link-to-sub'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeFiles', () => {
  test('stat: files with their size, folders (also through a link), nothing for a missing path', async () => {
    assert.deepEqual(await nodeFiles.stat(join(dir, 'a.pem')), { kind: 'file', size: 3 });
    assert.equal((await nodeFiles.stat(join(dir, 'sub')))?.kind, 'directory');
    assert.equal((await nodeFiles.stat(join(dir, 'link-to-sub')))?.kind, 'directory');
    assert.equal(await nodeFiles.stat(join(dir, 'missing')), undefined);
  });

  test('read a file and list a folder; errors carry the system code the loaders report', async () => {
    assert.equal((await nodeFiles.readFile(join(dir, 'a.pem'))).toString(), 'abc');
    assert.deepEqual((await nodeFiles.readDirectory(dir)).sort(), ['a.pem', 'link-to-sub', 'sub']);
    assert.equal(nodeFiles.join(dir, 'a.pem'), join(dir, 'a.pem'));
    const missing = await nodeFiles.readFile(join(dir, 'missing')).then(() => undefined, (e: unknown) => e);
    assert.equal(fileErrorCause(missing), 'ENOENT');
  });

  test('writeNewFile creates the file whole, refuses an existing one and leaves no temporary file', async () => {
    const path = join(dir, 'sub', 'alice@example.com.pem');
    await nodeFiles.writeNewFile(path, Buffer.from('first'));
    assert.equal(readFileSync(path, 'latin1'), 'first');
    await assert.rejects(nodeFiles.writeNewFile(path, Buffer.from('second')), (e: unknown) => fileErrorCause(e) === 'EEXIST');
    assert.equal(readFileSync(path, 'latin1'), 'first');
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['alice@example.com.pem']);
    await assert.rejects(nodeFiles.writeNewFile(join(dir, 'no-such-folder', 'x.pem'), Buffer.from('x')), (e: unknown) => fileErrorCause(e) === 'ENOENT');
  });
});
