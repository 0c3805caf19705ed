/**
 * Activation stays cheap: dist/extension.js is a few KB of placeholders, the core and the legacy code are files of
 * their own loaded on first use, and what ships leaves out iconv-lite and encoding-japanese. Reads the bundles
 * `node esbuild.mjs` wrote (npm run test:unit builds them first).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { CONTRIBUTED_COMMANDS, MESSAGE_EDITOR_VIEW_TYPE } from '../../../src/extension/entry/contributions';

/** The requirement: loading the entry and activating in plain Node under 50 ms. */
const ACTIVATION_BUDGET_MS = 50;
/** The entry is placeholders only; the core alone is hundreds of KB. */
const ENTRY_MAX_BYTES = 16 * 1024;

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: { commands: { command: string }[]; customEditors: { viewType: string }[] };
  dependencies?: Record<string, string>;
};

describe('activation', () => {
  test('every contributed command has a placeholder, and only those', () => {
    assert.deepEqual([...CONTRIBUTED_COMMANDS].sort(), pkg.contributes.commands.map((c) => c.command).sort());
    assert.deepEqual(pkg.contributes.customEditors.map((e) => e.viewType), [MESSAGE_EDITOR_VIEW_TYPE]);
  });

  test(`activation loads dist/extension.js only, in under ${ACTIVATION_BUDGET_MS} ms in plain Node`, () => {
    const result = JSON.parse(execFileSync(process.execPath, ['scripts/activation.mjs', '--json', 'dist/extension.js'], { encoding: 'utf8' })) as {
      activateMs: number;
      coreMs: number;
      loadedAtActivation: string[];
    };
    console.log(`activation ${result.activateMs.toFixed(1)} ms, core ${result.coreMs.toFixed(1)} ms`);
    assert.deepEqual(result.loadedAtActivation, ['extension.js']);
    assert.ok(result.activateMs < ACTIVATION_BUDGET_MS, `activation took ${result.activateMs} ms`);
    assert.ok(statSync('dist/extension.js').size < ENTRY_MAX_BYTES, 'the entry grew: something pulls in the core');
  });

  test('the core requires node-forge and libmime from dist/legacy/ instead of holding them', () => {
    const core = readFileSync('dist/core.js', 'utf8');
    assert.match(core, /require\("\.\/legacy\/forge\.js"\)/);
    assert.match(core, /require\("\.\/legacy\/libmime\.js"\)/);
    // node-forge's RC2 key expansion table and libmime's MIME type list are not in the core.
    assert.doesNotMatch(core, /createDecryptionCipher = function|application\/vnd\.ms-excel/);
  });

  test('libmime ships without iconv-lite and encoding-japanese, and still writes RFC 2047 words and RFC 2231 parameters', () => {
    const libmimeBundle = readFileSync('dist/legacy/libmime.js', 'utf8');
    // iconv-lite's error text and encoding-japanese's conversion table name.
    assert.doesNotMatch(libmimeBundle, /Encoding not recognized|JIS_TO_UTF8/);
    const script = `const m = require('./dist/legacy/libmime.js');
      process.stdout.write(JSON.stringify([m.encodeWords('Grüße aus Köln', 'Q', 75), m.buildHeaderValue(m.parseHeaderValue('text/plain; name="Grüße.txt"'))]));`;
    const [words, param] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    assert.equal(words, '=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=');
    assert.equal(param, "text/plain; name*0*=utf-8''Gr%C3%BC%C3%9Fe.txt");
  });

  test('the extension loads nothing from node_modules; the CLI only the test inbox SMTP libraries, its only runtime dependencies', () => {
    // `smime inbox` loads smtp-server and nodemailer from node_modules; the extension has them in dist/inbox.js.
    const cliOnly = ['nodemailer', 'smtp-server'];
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), cliOnly);
    for (const file of ['dist/extension.js', 'dist/core.js', 'dist/inbox.js', 'dist/smime.js', 'dist/smime-sign.js', 'dist/smime-encrypt.js', 'dist/smime-sign-encrypt.js', 'dist/legacy/forge.js', 'dist/legacy/libmime.js']) {
      const required = [...readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      const outside = required.filter((name) => !/^(node:|\.\/)/.test(name) && !['vscode', 'crypto'].includes(name));
      assert.deepEqual(outside.filter((name) => !(file === 'dist/smime.js' && cliOnly.includes(name))), [], file);
    }
  });
});
