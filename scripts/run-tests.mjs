// Runs every bundled test file (out/test/**/*.test.js) with node's test runner and ends with the
// summary line CI reads ("N passed, N failed"). Extra arguments filter test files by substring.
// With --integration, the VS Code integration layer (scripts/run-integration-tests.mjs) runs afterwards, and
// the closing line counts both layers.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out.sort();
}

const withIntegration = process.argv.includes('--integration');
const filters = process.argv.slice(2).filter((a) => a !== '--integration');
const files = find('out/test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: ['ignore', 'pipe', 'inherit'] });
let passed;
let failed;
let partial = '';
// The spec reporter prints its totals ("ℹ pass N", "ℹ fail N") before the list of failures, so scan every line.
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (partial + chunk.toString()).split('\n');
  partial = lines.pop() ?? '';
  for (const line of lines) {
    const m = line.match(/^ℹ (pass|fail) (\d+)$/);
    if (m && m[1] === 'pass') passed = Number(m[2]);
    if (m && m[1] === 'fail') failed = Number(m[2]);
  }
});
/** Runs the integration layer, passing its output through; resolves to its own closing counts. */
function runIntegration() {
  return new Promise((resolve) => {
    const layer = spawn(process.execPath, ['scripts/run-integration-tests.mjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let counts;
    let rest = '';
    layer.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const m = line.match(/^(\d+) passed, (\d+) failed$/);
        if (m) counts = { passed: Number(m[1]), failed: Number(m[2]) };
      }
    });
    layer.on('close', (code) => {
      // Without its closing line the layer itself broke; a non-zero exit is never a pass.
      const result = counts ?? { passed: 0, failed: 1 };
      if (code !== 0 && result.failed === 0) result.failed = 1;
      resolve(result);
    });
  });
}

child.on('close', async (code) => {
  passed ??= 0;
  // No totals at all means the runner itself broke: count that as a failure.
  failed ??= code === 0 ? 0 : 1;
  if (!withIntegration) {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(code ?? 1);
  }
  console.log(`node: ${passed} passed, ${failed} failed`);
  const integration = await runIntegration();
  console.log(`integration: ${integration.passed} passed, ${integration.failed} failed`);
  console.log(`${passed + integration.passed} passed, ${failed + integration.failed} failed`);
  process.exit(code === 0 && integration.failed === 0 ? 0 : 1);
});
