#!/usr/bin/env node
// `npm run package`: a production build and a .vsix made by @vscode/vsce, offline. The extension is bundled, so
// no node_modules go in (--no-dependencies); .vscodeignore lists what does. The check afterwards fails the
// build when the package holds anything else or grows past MAX_VSIX_BYTES.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Marketplace packages this size install in a blink; a bigger one means something slipped in. */
const MAX_VSIX_BYTES = 2 * 1024 * 1024;
/** What an installed extension needs at run time (paths inside the package's extension/ folder). */
const ALLOWED = [/^dist\/(extension|core|webview|inbox)\.js$/, /^dist\/legacy\/(forge|libmime)\.js$/, /^dist\/codicons\/codicon\.(ttf|css)$/, /^media\/(main\.css|icon\.png)$/, /^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
  /^syntaxes\/eml\.tmLanguage\.json$/, /^language-configuration\.json$/,
  /^package(\.nls)?\.json$/, /^readme\.md$/i, /^changelog\.md$/i, /^license(\.txt)?$/i];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const vsce = createRequire(path.join(root, 'package.json')).resolve('@vscode/vsce/vsce');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

run(process.execPath, ['esbuild.mjs', '--production']);
// vsce rewrites the README's relative links against package.json's repository: images to its raw files and links
// to docs/ and CONTRIBUTING.md to its pages, so the Marketplace and Open VSX listings (which cannot resolve a
// relative link) show the screenshots, and no link points at a file the package does not hold.
// dist/inbox.js holds smtp-server's built-in default TLS key (used by that library only when no key is given;
// the test inbox always passes the certificate it makes at each start): the one secret vsce may let through.
process.stdout.write(run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-package-secrets', 'privatekey', '--out', out]));

const listing = run(process.execPath, [vsce, 'ls', '--no-dependencies']).split('\n').filter(Boolean);
const stray = listing.filter((file) => !ALLOWED.some((re) => re.test(file)));
const size = statSync(out).size;
console.log(`[measure] ${path.basename(out)}: ${(size / 1024).toFixed(0)} KB, ${listing.length} files`);
if (stray.length) throw new Error(`unexpected files in the package: ${stray.join(', ')}`);
// Every bundle the extension loads at run time must be in the package (a missing one fails only when first used).
const REQUIRED = ['dist/extension.js', 'dist/core.js', 'dist/webview.js', 'dist/inbox.js', 'dist/legacy/forge.js', 'dist/legacy/libmime.js', 'media/main.css'];
const missing = REQUIRED.filter((file) => !listing.includes(file));
if (missing.length) throw new Error(`missing from the package: ${missing.join(', ')}`);
if (size > MAX_VSIX_BYTES) throw new Error(`${path.basename(out)} is ${size} bytes, over ${MAX_VSIX_BYTES}`);
