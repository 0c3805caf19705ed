/**
 * The `smime` launcher (dist/cli.js) and its code cache: the build's cache is used, a cache made from other bytes
 * is never used (even when the length is the same, which is all V8 checks), and a damaged cache is rejected with
 * the command still working; a command trained on its own uses its own, smaller cache, and the write commands run
 * from bundles of their own. Runs on the built dist/
 * (`npm test` builds it first).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dist = resolve('dist');
const dir = mkdtempSync(join(tmpdir(), 'smime-code-cache-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(cliDir: string, args = ['--version']): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [join(cliDir, 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, SMIME_DEBUG: '1' } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** A copy of the built CLI in its own folder, with `edit` applied to its files. */
function copyOfCli(name: string, edit: (files: { source: Buffer; cache: Buffer }) => void): string {
  const target = join(dir, name);
  const files = { source: readFileSync(join(dist, 'smime.js')), cache: readFileSync(join(dist, 'smime.cache')) };
  edit(files);
  mkdirSync(target, { recursive: true });
  copyFileSync(join(dist, 'cli.js'), join(target, 'cli.js'));
  writeFileSync(join(target, 'smime.js'), files.source);
  writeFileSync(join(target, 'smime.cache'), files.cache);
  symlinkSync(resolve('node_modules'), join(target, 'node_modules'));
  return target;
}

describe('CLI code cache', () => {
  test('the build made one and the launcher uses it', () => {
    assert.ok(existsSync(join(dist, 'smime.cache')), 'dist/smime.cache is missing: run `node esbuild.mjs`');
    const r = run(dist);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^smime \d+\.\d+\.\d+\n$/);
    assert.match(r.stderr, /code cache used/);
  });

  test('verify uses its own cache, smaller than the cache of every command; other commands use the shared one', () => {
    const own = run(dist, ['verify']);
    assert.equal(own.status, 2, 'usage error: no input given');
    assert.match(own.stderr, /code cache used \(smime\.verify\.cache\)/);
    assert.ok(statSync(join(dist, 'smime.verify.cache')).size < statSync(join(dist, 'smime.cache')).size);
    assert.match(run(dist, ['cert']).stderr, /code cache used \(smime\.cache\)/);
    assert.match(run(dist, ['../verify']).stderr, /code cache used \(smime\.cache\)/);
  });

  test('sign, encrypt and sign-encrypt run from bundles of their own, smaller than the whole command line, with their own caches', () => {
    for (const command of ['sign', 'encrypt', 'sign-encrypt']) {
      const r = run(dist, [command]);
      assert.equal(r.status, 2, `${command}: usage error, no input given`);
      assert.match(r.stderr, new RegExp(`code cache used \\(smime-${command}\\.cache\\)`));
      assert.match(r.stderr, new RegExp(`smime ${command}: missing IN`));
      assert.match(r.stderr, /Usage:\n {2}smime inspect FILE/, `${command}: the usage text of every command`);
      assert.ok(statSync(join(dist, `smime-${command}.js`)).size < statSync(join(dist, 'smime.js')).size, command);
      assert.ok(statSync(join(dist, `smime-${command}.cache`)).size < statSync(join(dist, 'smime.cache')).size, command);
    }
    // The command's own bundle holds no other command: the main bundle's help text names the rest.
    const signBundle = readFileSync(join(dist, 'smime-sign.js'), 'utf8');
    assert.ok(!signBundle.includes('smime-verify-worker'), 'no verification pool in the sign bundle');
  });

  test('a rebuilt command bundle never runs with the cache of the one before', () => {
    const target = join(dir, 'stale-sign');
    mkdirSync(target, { recursive: true });
    copyFileSync(join(dist, 'cli.js'), join(target, 'cli.js'));
    const source = readFileSync(join(dist, 'smime-sign.js'), 'latin1');
    const at = source.indexOf('missing ');
    assert.ok(at > 0, 'usage message in the bundle');
    writeFileSync(join(target, 'smime-sign.js'), Buffer.from(source.slice(0, at) + 'MISSING ' + source.slice(at + 8), 'latin1'));
    copyFileSync(join(dist, 'smime-sign.cache'), join(target, 'smime-sign.cache'));
    const r = run(target, ['sign']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /code cache stale/);
    assert.match(r.stderr, /smime sign: MISSING IN/);
  });

  test('a cache made from other bytes of the same length is not used; the new bytes run', () => {
    const target = copyOfCli('stale', (files) => {
      const text = files.source.toString('latin1');
      const at = text.indexOf('smime 0.');
      assert.ok(at > 0, 'version string in the bundle');
      files.source = Buffer.from(text.slice(0, at) + 'SMIME' + text.slice(at + 5), 'latin1');
    });
    const r = run(target);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^SMIME \d/);
    assert.match(r.stderr, /code cache stale/);
  });

  test('a damaged cache is rejected by V8 and the command still runs', () => {
    const target = copyOfCli('damaged', (files) => {
      const v8Start = 4 + files.source.length;
      files.cache = Buffer.concat([files.cache.subarray(0, v8Start), Buffer.alloc(files.cache.length - v8Start, 0x5a)]);
    });
    const r = run(target);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^smime \d/);
    assert.match(r.stderr, /code cache rejected/);
  });
});
