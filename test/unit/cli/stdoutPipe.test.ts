/**
 * Standard output is made on first use (src/cli/stdout.ts) with its EPIPE handling: a reader that closes the pipe
 * early (`smime verify DIR | head`) ends the command quietly with exit status 2, not with a stack trace. Runs on
 * the built dist/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const cli = resolve('dist/cli.js');

test('a closed stdout pipe ends the command with status 2 and no stack trace', async () => {
  const child = spawn(process.execPath, [cli, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  assert.equal(status, 2, stderr);
  assert.doesNotMatch(stderr, /Error|at /);
});
