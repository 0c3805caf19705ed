// Runs every bundled test file (out/test/**/*.test.js) with node's test runner and ends with the
// summary line CI reads ("N passed, N failed"). Extra arguments filter test files by substring.
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

const filters = process.argv.slice(2);
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
child.on('close', (code) => {
  passed ??= 0;
  // No totals at all means the runner itself broke: count that as a failure.
  failed ??= code === 0 ? 0 : 1;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code ?? 1);
});
