// The Extension Test Runner's configuration (the @vscode/test-cli format: a list of test configurations), so
// VS Code's Testing view finds the integration tests. They are bundled first: node esbuild.mjs --integration.
// Restricted Mode's tests need a window with workspace trust on and run separately (npm run test:integration,
// which also runs everything here in the offline VS Code on machines that cannot download VS Code).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OUT = 'out/integration';
let files;
try {
  files = readdirSync(OUT).filter((n) => n.endsWith('.vscode.test.js') && !n.includes('.untrusted.')).map((n) => `${OUT}/${n}`);
} catch {
  files = [`${OUT}/*.vscode.test.js`];
}

export default [
  {
    label: 'integration',
    files,
    // The tests write messages, settings and a test identity into the workspace folder: a fresh one per run.
    workspaceFolder: mkdtempSync(join(tmpdir(), 'smime-vscode-test-')),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
    mocha: { ui: 'tdd', timeout: 60_000 },
    env: { SMIME_TEST: '1' },
  },
];
