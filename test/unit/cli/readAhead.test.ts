/**
 * The CLI's read-ahead: the bytes handed to a command are the file's exact bytes, each read is taken once, and
 * anything that is not a readable non-empty regular file falls back to the ordinary read and its messages.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { readAhead, takeReadAhead } from '../../../src/cli/readAhead';
import { readInput } from '../../../src/cli/context';
import { InputError } from '../../../src/cli/args';

const dir = mkdtempSync(join(tmpdir(), 'smime-read-ahead-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('read-ahead', () => {
  test('gives the exact bytes of a large file, once, under any spelling of its path', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const path = join(dir, 'big.eml');
    writeFileSync(path, data);
    readAhead(path);
    const read = await takeReadAhead(join(dir, '.', 'big.eml'));
    assert.ok(read && read.equals(data));
    assert.equal(await takeReadAhead(path), undefined, 'taken once');
  });

  test('skips options, folders, empty and missing files; readInput then reads or fails as before', async () => {
    const empty = join(dir, 'empty.eml');
    writeFileSync(empty, '');
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    const missing = join(dir, 'missing.eml');
    for (const path of ['--json', empty, folder, missing, undefined]) readAhead(path);
    for (const path of [empty, folder, missing]) assert.equal(await takeReadAhead(path), undefined, path);
    assert.equal((await readInput(empty)).length, 0);
    await assert.rejects(readInput(folder), (e: unknown) => e instanceof InputError && /is a folder/.test(e.message));
    await assert.rejects(readInput(missing), (e: unknown) => e instanceof InputError && /cannot read .*ENOENT/.test(e.message));
  });

  test('a FIFO is left to the command: read ahead never opens it', { skip: process.platform === 'win32' }, async () => {
    const fifo = join(dir, 'pipe.eml');
    execFileSync('mkfifo', [fifo]);
    // The writer's open blocks until someone opens the FIFO for reading.
    const writer = spawn('sh', ['-c', `printf data > '${fifo}'`]);
    const exited = new Promise((done) => writer.on('exit', done));
    readAhead(fifo);
    assert.equal(await takeReadAhead(fifo), undefined);
    await new Promise((done) => setTimeout(done, 300));
    assert.equal(writer.exitCode, null, 'the FIFO was opened: its writer went on');
    assert.equal(readFileSync(fifo, 'latin1'), 'data', 'the bytes are still there for the command');
    await exited;
  });

  test('readInput uses the read-ahead bytes when there are some, and reads the file when not', async () => {
    const path = join(dir, 'msg.eml');
    writeFileSync(path, 'first');
    readAhead(path);
    // The file is replaced (a new inode) after the command started: the bytes read ahead are the ones it named.
    writeFileSync(`${path}.new`, 'second');
    renameSync(`${path}.new`, path);
    assert.equal((await readInput(path)).toString(), 'first');
    assert.equal((await readInput(path)).toString(), 'second');
  });
});
