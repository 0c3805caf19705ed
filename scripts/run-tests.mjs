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
let passed = 0;
let failed = 0;
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  const pass = tail.match(/ℹ pass (\d+)/);
  const fail = tail.match(/ℹ fail (\d+)/);
  passed = pass ? Number(pass[1]) : 0;
  failed = fail ? Number(fail[1]) : code === 0 ? 0 : 1;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code ?? 1);
});
