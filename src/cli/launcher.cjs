#!/usr/bin/env node
// The `smime` command. The command line itself is smime.js beside this file; it is compiled here with the V8 code
// cache the build made from it, so start-up skips compiling its functions. A command the build trained on its own
// has a cache of its own (smime.<command>.cache) holding only the functions it runs, which is less to read and
// deserialise than the cache of every command (smime.cache), used for the others. The write commands run from a
// bundle of their own code only, smime-<command>.js, with its cache smime-<command>.cache: less to read, check and
// deserialise again. A cache from another build or Node version is rejected by V8 (or by the source
// check below) and the file is compiled as usual.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

/** Commands with a bundle of their own, smime-<command>.js (src/cli/bins/). */
const OWN_BUNDLE = ['sign', 'encrypt', 'sign-encrypt'];
const command = process.argv[2];
const bundle = OWN_BUNDLE.includes(command) ? `smime-${command}` : 'smime';
const file = join(__dirname, `${bundle}.js`);
const source = readFileSync(file);
const cacheFiles =
  bundle !== 'smime' ? [`${bundle}.cache`] : /^[a-z][a-z-]*$/.test(command ?? '') ? [`smime.${command}.cache`, 'smime.cache'] : ['smime.cache'];
let cachedData;
let state = 'absent';
for (const name of cacheFiles) {
  let cache;
  try {
    cache = readFileSync(join(__dirname, name));
  } catch {
    continue; // no such cache: the next one, or compiled as usual
  }
  // A cache file = source length (u32 LE), the exact source it was made from, V8's cache. V8 checks only the
  // source's length, so the bytes are compared here: a rebuilt bundle never runs with an older cache.
  const length = cache.readUInt32LE(0);
  if (length === source.length && cache.subarray(4, 4 + length).equals(source)) {
    cachedData = cache.subarray(4 + length);
    state = name;
  } else {
    state = 'stale';
  }
  break;
}
const text = source.toString('utf8');
// Wrapped as Node wraps a CommonJS module; this file's own require resolves from the same folder, so node:module
// (whose loading pulls in the ES module loader, about 0.4 ms) is not needed.
const wrapped = `(function (exports, require, module, __filename, __dirname) { ${text}\n});`;
const script = new Script(wrapped, { filename: file, cachedData });
if (cachedData) state = script.cachedDataRejected ? 'rejected' : `used (${state})`;
if (process.env.SMIME_DEBUG) process.stderr.write(`smime: code cache ${state}\n`);
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, require, module_, file, __dirname);
