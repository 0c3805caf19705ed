// Bundles the three worlds: the extension host (Node, CommonJS, `vscode` external), the webview (browser IIFE)
// and the CLI (Node). `--tests` bundles every test file for node:test; `vscode` is NOT external there, so a stray
// import of it from core code fails the test build.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, mkdirSync, chmodSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
  ? [{ ...common, sourcemap: 'inline', entryPoints: testEntries('test'), outdir: 'out/test', outbase: 'test', platform: 'node', format: 'cjs', target: 'node20' }]
  : [
      { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
      { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
      // The CLI starts on every call, so it is split per command (ES modules: `smime verify` never parses the write
      // side) and minified; dist/cli.js is a small CommonJS launcher so `node dist/cli.js` and the `bin` work as is.
      {
        ...common,
        minify: true,
        entryPoints: ['src/cli/bin.ts'],
        outdir: 'dist/cli',
        splitting: true,
        format: 'esm',
        outExtension: { '.js': '.mjs' },
        platform: 'node',
        target: 'node20',
        // Large dependencies only the write side or legacy ciphers need are loaded from node_modules when used
        // (they are runtime dependencies of the package), so no command pays to parse them up front.
        external: ['node-forge', 'libmime', 'iconv-lite', 'libqp'],
        // require() for those (and for bundled CommonJS code); ES modules have none of their own.
        banner: { js: 'import { createRequire as __smimeRequire } from "node:module"; const require = __smimeRequire(import.meta.url);' },
      },
    ];

mkdirSync('dist', { recursive: true });
// The message editor's icon font: copied from @vscode/codicons so the webview loads it from dist/ (its CSP allows
// fonts from the extension only).
if (!tests && !integration) {
  mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(join('node_modules/@vscode/codicons/dist', file), join('dist/codicons', file));
}
if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('watching for changes');
} else {
  if (!tests && !integration) rmSync('dist/cli', { recursive: true, force: true });
  await Promise.all(builds.map((options) => esbuild.build(options)));
  if (!tests && !integration) writeLauncher();
}

function writeLauncher() {
  writeFileSync('dist/cli.js', "#!/usr/bin/env node\n// Launcher: the command line itself is the ES module bundle in dist/cli/.\nimport('./cli/bin.mjs');\n");
  chmodSync('dist/cli.js', 0o755);
}
