// Makes dist/smime.cache, the V8 code cache of dist/smime.js that dist/cli.js (src/cli/launcher.cjs) loads it
// with. The commands are run once in this process on a throwaway demo PKI first, so the cache holds every
// function they compiled, not only the top level: `smime` then starts without compiling its own code.
// The cache is valid only for this Node version and the exact smime.js it was made from.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';

/** The commands run to fill the cache: each path of the CLI a user takes, on the demo's keys and messages. */
function trainingRuns(dir) {
  const d = (name) => join(dir, name);
  const m = (name) => join(dir, 'messages', name);
  const alice = ['--cert', d('alice.pem'), '--key', d('alice.key.pem')];
  return [
    ['inspect', m('signed-encrypted.eml')],
    ['verify', m('signed-detached.eml'), '--ca', d('ca.pem')],
    ['verify', m('signed-opaque.eml'), '--ca', d('ca.pem'), '--json'],
    ['verify', m('signed-ec.eml'), '--ca', d('ca.pem')],
    ['verify', m('tampered.eml'), '--ca', d('ca.pem')],
    ['verify', m('signed-encrypted.eml'), '--ca', d('ca.pem'), '--key', d('bob.key.pem'), '--cert', d('bob.pem')],
    ['decrypt', m('encrypted-cbc.eml'), '--key', d('bob.key.pem'), '--cert', d('bob.pem'), '-o', d('out-cbc.txt')],
    ['decrypt', m('encrypted-gcm.eml'), '--key', d('bob.key.pem'), '--cert', d('bob.pem'), '-o', d('out-gcm.txt')],
    ['cert', d('alice.pem')],
    ['sign', m('plain.eml'), ...alice, '-o', d('out-signed.eml')],
    ['sign', m('plain.eml'), ...alice, '--opaque', '-o', d('out-opaque.eml')],
    ['encrypt', m('plain.eml'), '--to', d('bob.pem'), '--cert', d('alice.pem'), '-o', d('out-encrypted.eml')],
    ['sign-encrypt', m('plain.eml'), ...alice, '--to', d('bob.pem'), '-o', d('out-signed-encrypted.eml')],
  ];
}

/** Runs the bundle's commands in this process and writes dist/smime.cache; returns the cache's size. */
export async function makeCodeCache(dist) {
  const file = resolve(dist, 'smime.js');
  const source = readFileSync(file);
  const script = new Script(Module.wrap(source.toString('utf8')), { filename: file });
  const compiled = script.runInThisContext();
  const requireFromBundle = createRequire(file);
  const run = async (args) => {
    const module = { exports: {} };
    const argv = process.argv;
    process.argv = [process.execPath, file, ...args];
    try {
      compiled(module.exports, requireFromBundle, module, file, resolve(dist));
      return await module.exports.finished;
    } finally {
      process.argv = argv;
    }
  };
  const dir = mkdtempSync(join(tmpdir(), 'smime-code-cache-'));
  const { write: stdoutWrite } = process.stdout;
  const { write: stderrWrite } = process.stderr;
  process.stdout.write = process.stderr.write = () => true;
  try {
    if ((await run(['demo', dir])) !== 0) throw new Error('smime demo failed while making the code cache');
    for (const args of trainingRuns(dir)) await run(args);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
  }
  const cache = script.createCachedData();
  const header = Buffer.alloc(4);
  header.writeUInt32LE(source.length);
  writeFileSync(join(dist, 'smime.cache'), Buffer.concat([header, source, cache]));
  return cache.length;
}
