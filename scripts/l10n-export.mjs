#!/usr/bin/env node
// Writes l10n/bundle.l10n.json, the extension's English strings as VS Code's l10n bundle ("l10n" in package.json):
// every literal passed to vscode.l10n.t (or to the Translate function `t` the views receive) in src/extension.
// Translators copy it to bundle.l10n.LANG.json. `--check` fails when the bundle is not up to date (unit-tested).
//   node scripts/l10n-export.mjs [--check]
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src/extension'];
const BUNDLE = 'l10n/bundle.l10n.json';
// t('...') or l10n.t('...'): a single-quoted literal as the first argument (our sources use single quotes).
const CALL = /(?:\bl10n\.t|\bt)\(\s*'((?:[^'\\\n]|\\.)*)'/g;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

export function collectStrings() {
  const strings = new Set();
  for (const file of SOURCES.flatMap(files)) {
    for (const m of readFileSync(file, 'utf8').matchAll(CALL)) strings.add(m[1].replace(/\\(.)/g, '$1'));
  }
  return Object.fromEntries([...strings].sort().map((s) => [s, s]));
}

const bundle = JSON.stringify(collectStrings(), null, 2) + '\n';
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(BUNDLE, 'utf8');
  } catch {
    // missing: reported below
  }
  if (current !== bundle) {
    console.error(`${BUNDLE} is out of date: run node scripts/l10n-export.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(BUNDLE, bundle);
  console.log(`${BUNDLE}: ${Object.keys(JSON.parse(bundle)).length} strings`);
}
