// Makes dist/smime.cache, the V8 code cache of dist/smime.js that dist/cli.js (src/cli/launcher.cjs) loads it
// with. The commands are run once in this process on a throwaway demo PKI first, so the cache holds every
// function they compiled, not only the top level: `smime` then starts without compiling its own code.
// The commands that handle large messages also get a cache of their own (dist/smime.<command>.cache), made in a
// fresh process that runs only that command: it holds only the functions that command runs, so it is smaller to
// read and deserialise at every start-up than the cache of all commands. The write commands run from bundles of
// their own, dist/smime-<command>.js (src/cli/bins/), whose caches (dist/smime-<command>.cache) are made the same
// way.
// Every cache is valid only for this Node version and the exact bundle it was made from.
import { spawn } from 'node:child_process';
import fs, { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const { writeSync } = fs;

/** Commands of dist/smime.js with a cache of their own: those that read large messages. */
const OWN_CACHE = ['verify', 'decrypt'];
/** Commands with a bundle of their own, dist/smime-<command>.js (as in src/cli/launcher.cjs): those that write them. */
const OWN_BUNDLE = ['sign', 'encrypt', 'sign-encrypt'];

/** Loads the bundle `name` (.js) in this process; `run(args)` runs one command line in it, quietly. */
function loadBundle(dist, name = 'smime') {
  const file = resolve(dist, `${name}.js`);
  const source = readFileSync(file);
  const script = new Script(Module.wrap(source.toString('utf8')), { filename: file });
  const compiled = script.runInThisContext();
  const requireFromBundle = createRequire(file);
  const run = async (args) => {
    const module = { exports: {} };
    const argv = process.argv;
    process.argv = [process.execPath, file, ...args];
    const { write: stdoutWrite } = process.stdout;
    const { write: stderrWrite } = process.stderr;
    process.stdout.write = process.stderr.write = () => true;
    // The CLI writes its messages to descriptor 2 directly (src/cli/stderr.ts): those are silenced too.
    fs.writeSync = (fd, data, offset = 0, ...rest) =>
      fd === 1 || fd === 2 ? (typeof data === 'string' ? Buffer.byteLength(data) : data.length - offset) : writeSync(fd, data, offset, ...rest);
    try {
      compiled(module.exports, requireFromBundle, module, file, resolve(dist));
      return await module.exports.finished;
    } finally {
      process.argv = argv;
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      fs.writeSync = writeSync;
      process.exitCode = undefined;
    }
  };
  /** Writes the cache file: source length (u32 LE), the source, V8's cache of what ran. */
  const save = (name) => {
    const cache = script.createCachedData();
    const header = Buffer.alloc(4);
    header.writeUInt32LE(source.length);
    writeFileSync(join(dist, name), Buffer.concat([header, source, cache]));
    return cache.length;
  };
  return { run, save };
}

/** In a fresh process: runs one command's training runs on the demo in `dir` and writes its own cache. */
function ownCache(dist, bundleName, command, dir, cacheName) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), dist, bundleName, command, dir, cacheName], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`the code cache of ${command} could not be made`))));
  });
}

/** Runs the bundle's commands in this process and writes dist/smime.cache and the commands' own caches. */
export async function makeCodeCache(dist) {
  for (const name of readdirSync(dist)) if (/^smime[.-].+\.cache$/.test(name)) rmSync(join(dist, name), { force: true });
  const bundle = loadBundle(dist);
  const dir = mkdtempSync(join(tmpdir(), 'smime-code-cache-'));
  try {
    if ((await bundle.run(['demo', dir])) !== 0) throw new Error('smime demo failed while making the code cache');
    for (const args of trainingRuns(dir)) await bundle.run(args);
    const size = bundle.save('smime.cache');
    await Promise.all([
      ...OWN_CACHE.map((command) => ownCache(dist, 'smime', command, dir, `smime.${command}.cache`)),
      ...OWN_BUNDLE.map((command) => ownCache(dist, `smime-${command}`, command, dir, `smime-${command}.cache`)),
    ]);
    return size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node scripts/codeCache.mjs DIST BUNDLE COMMAND DEMO_DIR CACHE`: the child process of ownCache.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dist, bundleName, command, dir, cacheName] = process.argv.slice(2);
  const bundle = loadBundle(dist, bundleName);
  for (const args of trainingRuns(dir).filter((a) => a[0] === command)) await bundle.run(args);
  bundle.save(cacheName);
}
