import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'CallExpression[callee.name="eval"]', message: 'no eval' }],
    },
  },
  {
    // Mail is attacker input and the extension host runs parsers synchronously: a regex whose matching time grows
    // faster than its input stalls the editor (ReDoS). These rules reject patterns that can backtrack or rescan
    // super-linearly; a match that truly needs one is written as a scanner instead.
    files: ['src/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential', ignoreSticky: false, ignorePartial: false }],
    },
  },
  {
    // core is plain Node: no VS Code, no extension or webview code (the three worlds stay apart).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode'], message: 'src/core must run without VS Code' },
        { group: ['**/extension/**', '**/webview/**', '**/cli/**'], message: 'core depends on nothing of ours' },
      ] }],
    },
  },
  {
    // The front ends reach the core through src/core/index.ts only: one surface, so what they may use is visible in one
    // file and the core's inner layout can change without touching them.
    files: ['src/cli/**/*.ts', 'src/extension/**/*.ts', 'src/inbox/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/core/**'], message: 'import the core through src/core/index.ts' },
      ] }],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode'], message: 'src/cli must run without VS Code' },
        { group: ['**/extension/**', '**/webview/**'], message: 'the command line uses the core only' },
        { group: ['**/core/**'], message: 'import the core through src/core/index.ts' },
      ] }],
    },
  },
  {
    // The `smime` launcher is copied into dist/ as is, a CommonJS script.
    // So are the entries of the legacy bundles and the stubs they use (src/core/legacy/bundles, see esbuild.mjs).
    files: ['src/cli/launcher.cjs', 'src/core/legacy/bundles/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The webview renders view models only: no crypto, no key material, no Node, no VS Code API.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['vscode', 'node:*', '**/core/**', '**/extension/**'], message: 'the webview only renders view models' },
      ] }],
    },
  },
);
