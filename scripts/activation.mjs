// Activation cost in plain Node: loads dist/extension.js with a stand-in for the `vscode` module and calls
// activate(), in a fresh process per run (so nothing is cached but what Node itself caches), then loads the core
// (dist/core.js, what the first message editor or command pays). Prints medians; used by `npm run bench` and by
// test/unit/extension/activation.test.ts.
//
// The stand-in answers every property, call and `new` with itself, so registering commands and providers works
// without VS Code; it measures our code's loading and registration, not VS Code's side of them.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const VSCODE_NAMES = ['commands', 'window', 'workspace', 'languages', 'env', 'l10n', 'extensions', 'tests', 'Uri',
  'Disposable', 'EventEmitter', 'Range', 'Position', 'Location', 'CodeLens', 'Hover', 'MarkdownString', 'Diagnostic',
  'DiagnosticRelatedInformation', 'DiagnosticSeverity', 'DocumentSymbol', 'SymbolKind', 'FoldingRange',
  'FoldingRangeKind', 'RelativePattern', 'ViewColumn', 'ProgressLocation', 'ConfigurationTarget', 'TabInputCustom',
  'TabInputText', 'WorkspaceEdit', 'StatusBarAlignment', 'ThemeColor', 'ThemeIcon', 'TreeItem',
  'TreeItemCollapsibleState', 'QuickPickItemKind', 'CancellationTokenSource', 'FileType'];

const CHILD = `
const NAMES = ${JSON.stringify(VSCODE_NAMES)};
const Module = require('node:module');
const stub = new Proxy(function () {}, {
  get: (_t, key) => (key === Symbol.iterator ? () => [][Symbol.iterator]() : key === 'then' || typeof key === 'symbol' ? undefined : stub),
  apply: () => stub,
  construct: () => stub,
  // Writes (statusBarItem.name = ...) are accepted and forgotten: a function's own name is read-only.
  set: () => true,
});
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolveFilename.call(this, request, ...rest);
};
// esbuild's namespace import copies the module's own names, so the API's names are listed.
const api = {};
for (const name of NAMES) api[name] = stub;
api.ExtensionMode = { Production: 1, Development: 2, Test: 3 };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: api };
const context = { subscriptions: [], secrets: stub, extensionUri: stub, extensionMode: 1 };
const t0 = performance.now();
const extension = require(process.argv[1]).activate(context);
const t1 = performance.now();
const loadedAtActivation = Object.keys(require.cache).filter((f) => f.endsWith('.js')).map((f) => require('node:path').basename(f));
void extension.core;
const t2 = performance.now();
process.stdout.write(JSON.stringify({ activateMs: t1 - t0, coreMs: t2 - t1, loadedAtActivation }));
`;

/** Runs `runs` fresh processes; returns the median activation and core-load times and what activation loaded. */
export function measureActivation(extensionJs, runs = 7) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', CHILD, extensionJs], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`activation run failed: ${r.stderr}`);
    samples.push(JSON.parse(r.stdout));
  }
  const median = (key) => samples.map((s) => s[key]).sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { activateMs: median('activateMs'), coreMs: median('coreMs'), loadedAtActivation: samples[0].loadedAtActivation };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  const file = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'dist/extension.js';
  const result = measureActivation(resolve(file));
  if (json) {
    process.stdout.write(JSON.stringify(result));
    process.exit(0);
  }
  console.log(`[measure] activation in plain Node (load dist/extension.js + activate): ${result.activateMs.toFixed(1)} ms (median)`);
  console.log(`[measure] first use (load dist/core.js + register): ${result.coreMs.toFixed(1)} ms (median)`);
  console.log(`[measure] files loaded by activation: ${result.loadedAtActivation.join(', ')}`);
}
