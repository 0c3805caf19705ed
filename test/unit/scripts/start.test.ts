/**
 * `npm start`'s pieces: the offline VS Code opens a sample message (the workbench's `openFile` payload), and its
 * setup does not need Chromium (only the tests and screenshots drive a browser).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('the workbench URL opens the given file', () => {
  const script = `import('./scripts/vscode-test/codeServer.mjs').then((m) => process.stdout.write(m.workbenchUrl('http://127.0.0.1:9/', 9, { folder: '/ws', developmentPaths: ['/ext'], openFile: '/ws/messages/signed-detached.eml' })))`;
  const url = new URL(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  assert.equal(url.searchParams.get('folder'), '/ws');
  const payload = JSON.parse(url.searchParams.get('payload') ?? '[]') as [string, string][];
  assert.deepEqual(payload, [['extensionDevelopmentPath', 'vscode-remote://127.0.0.1:9/ext'], ['openFile', 'vscode-remote://127.0.0.1:9/ws/messages/signed-detached.eml']]);
  assert.match(readFileSync('scripts/start.mjs', 'utf8'), /SMIME_SETUP_SKIP_CHROMIUM: '1'/);
});

test('the offline VS Code setup skips Chromium when asked, even where none is installed', () => {
  const home = mkdtempSync(join(tmpdir(), 'smime-setup-'));
  try {
    const version = /CS_VERSION=\$\{CODE_SERVER_VERSION:-([^}]+)\}/.exec(readFileSync('scripts/setup-vscode-test.sh', 'utf8'))?.[1] ?? '';
    mkdirSync(join(home, version), { recursive: true });
    writeFileSync(join(home, version, '.ready'), '');
    const env = { ...process.env, VSCODE_TEST_HOME: home, CHROMIUM_PATH: join(home, 'no-chromium') };
    const skipped = spawnSync('bash', ['scripts/setup-vscode-test.sh'], { env: { ...env, SMIME_SETUP_SKIP_CHROMIUM: '1' }, encoding: 'utf8' });
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.doesNotMatch(skipped.stdout + skipped.stderr, /chromium/i);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
