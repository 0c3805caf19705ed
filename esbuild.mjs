// Bundles the three worlds: the extension host (Node, CommonJS, `vscode` external), the webview (browser IIFE)
// and the CLI (Node). `--tests` bundles every test file for node:test; `vscode` is NOT external there, so a stray
// import of it from core code fails the test build.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, mkdirSync, chmodSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeCodeCache } from './scripts/codeCache.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');
// `--integration` bundles test/integration/*.ts for the VS Code extension host: `vscode` is provided by the host
// and mocha is loaded from node_modules at run time (its reporters are required dynamically).
const integration = args.has('--integration');
const INTEGRATION_DIR = join('test', 'integration');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

// Code only legacy mail or writing header fields needs lives in files of its own next to the bundles that use it
// (dist/legacy/), loaded by require() on first use: node-forge (RC2, legacy PKCS#12) and libmime (RFC 2047 words and
// RFC 2231 parameters when writing). libmime is built with stubs for iconv-lite and encoding-japanese: it runs
// neither when writing (see src/core/legacy/bundles/iconvStub.cjs).
const LEGACY = { 'node-forge': './legacy/forge.js', libmime: './legacy/libmime.js' };
const legacyModules = {
  name: 'legacy-modules',
  setup(build) {
    build.onResolve({ filter: /^(node-forge|libmime)$/ }, (args) => ({ path: LEGACY[args.path], external: true }));
  },
};
const LEGACY_STUBS = { 'iconv-lite': './src/core/legacy/bundles/iconvStub.cjs', 'encoding-japanese': './src/core/legacy/bundles/encodingJapaneseStub.cjs' };
const legacyBuilds = () => [
  { ...common, entryPoints: { forge: 'src/core/legacy/bundles/forge.cjs', libmime: 'src/core/legacy/bundles/libmime.cjs' }, outdir: 'dist/legacy', platform: 'node', format: 'cjs', target: 'node20', minify: true, sourcemap: false, alias: LEGACY_STUBS },
];

function testEntries(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === INTEGRATION_DIR) continue; // runs inside VS Code, see --integration
    if (statSync(path).isDirectory()) out.push(...testEntries(path));
    else if (/\.(test|runner)\.ts$/.test(name) || name === 'fuzzRunner.ts') out.push(path);
  }
  return out;
}

const integrationBuild = () => ({
  ...common, sourcemap: 'inline', entryPoints: readdirSync(INTEGRATION_DIR).filter((n) => n.endsWith('.ts')).map((n) => join(INTEGRATION_DIR, n)),
  outdir: 'out/integration', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha'],
});

const builds = integration
  ? [integrationBuild()]
  : tests
  ? [{ ...common, sourcemap: 'inline', entryPoints: testEntries('test'), outdir: 'out/test', outbase: 'test', platform: 'node', format: 'cjs', target: 'node20', alias: LEGACY_STUBS }]
  : [
      // Activation loads dist/extension.js only: a few KB of placeholders. The core (dist/core.js) is required on
      // first use, and the legacy code from it on first use again.
      { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', './core.js'] },
      { ...common, entryPoints: ['src/extension/core.ts'], outfile: 'dist/core.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins: [legacyModules] },
      ...legacyBuilds(),
      { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
      // The test inbox's SMTP server and sender (smtp-server, nodemailer): a bundle of their own that the extension
      // requires on the first inbox command, so activation never parses them.
      { ...common, entryPoints: ['src/inbox/index.ts'], outfile: 'dist/inbox.js', platform: 'node', format: 'cjs', target: 'node20' },
      // The CLI starts on every call, so it is one minified CommonJS file: measured against ES module chunks per
      // command, the ESM loader's own start-up cost more than parsing the whole bundle (V8 compiles functions lazily,
      // and each command's modules are initialised only when that command runs). dist/cli.js, the `smime`
      // executable, is src/cli/launcher.cjs: it loads this bundle with the code cache made below.
      // The write commands (sign, encrypt, sign-encrypt) also have a bundle each, dist/smime-<command>.js: the
      // launcher runs them from it, so their start-up reads, checks and deserialises only their own code and cache
      // (sign: 110 KB instead of 271 KB).
      {
        ...common,
        minify: true,
        entryPoints: { smime: 'src/cli/bin.ts', 'smime-sign': 'src/cli/bins/sign.ts', 'smime-encrypt': 'src/cli/bins/encrypt.ts', 'smime-sign-encrypt': 'src/cli/bins/signEncrypt.ts' },
        outdir: 'dist',
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        // Large dependencies only the write side or legacy ciphers need are the files of dist/legacy/, loaded when
        // used, so no command pays to parse them up front. The test inbox's SMTP libraries (runtime dependencies of
        // the package) load from node_modules for `smime inbox` only.
        plugins: [legacyModules],
        external: ['smtp-server', 'nodemailer'],
      },
    ];

mkdirSync('dist', { recursive: true });
// The message editor's icon font: copied from @vscode/codicons so the webview loads it from dist/ (its CSP allows
// fonts from the extension only).
if (!tests && !integration) {
  mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(join('node_modules/@vscode/codicons/dist', file), join('dist/codicons', file));
  // Earlier builds put the command line in dist/cli/ (ES module chunks) or in dist/cli.js itself.
  rmSync('dist/cli', { recursive: true, force: true });
  rmSync('dist/cli.js.map', { force: true });
  copyFileSync('src/cli/launcher.cjs', 'dist/cli.js');
  chmodSync('dist/cli.js', 0o755);
}
// In watch mode every rebuild is framed by these lines: the watch task's problem matcher (.vscode/tasks.json) reads
// them to know when a build is done, and esbuild's own "✘ [ERROR]" lines in between become Problems.
const watchMarkers = {
  name: 'watch-markers',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => console.log(`[watch] build finished with ${result.errors.length} error(s)`));
  },
};
if (watch) {
  // No code cache here: the launcher sees that smime.js changed and compiles it as usual.
  for (const options of builds) {
    const ctx = await esbuild.context({ ...options, plugins: [...(options.plugins ?? []), watchMarkers] });
    await ctx.watch();
  }
  console.log('watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  if (!tests && !integration) {
    // The code cache (scripts/codeCache.mjs) is made by running the new bundle: a failure leaves no cache, and the
    // CLI then compiles as usual.
    rmSync('dist/smime.cache', { force: true }); // and the other caches, in makeCodeCache
    try {
      await makeCodeCache('dist');
    } catch (e) {
      console.warn(`no code cache for the CLI: ${e.message}`);
    }
  }
}
